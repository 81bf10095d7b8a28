package io.eddyrtc.engine.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Throttle;

/** A PLI or FIR; a peer decides how many it sends us, so JFR keeps at most 100 a second. */
@Name("io.eddyrtc.KeyframeRequest")
@Label("Keyframe Request")
@Category({"eddy", "Media"})
@Description("A keyframe request (PLI or FIR) we sent or received")
@Throttle("100/s")
final class KeyframeRequestEvent extends StreamEvent {
    @Label("Direction")
    @Description("sent or received")
    String direction;

    @Label("Kind")
    @Description("PLI or FIR")
    String kind;
}
