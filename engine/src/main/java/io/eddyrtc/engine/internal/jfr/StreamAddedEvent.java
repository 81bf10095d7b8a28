package io.eddyrtc.engine.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

@Name("io.eddyrtc.StreamAdded")
@Label("Stream Added")
@Category({"eddy", "Media"})
@Description("An RTP stream (one SSRC) set up to receive or send")
final class StreamAddedEvent extends StreamEvent {
    @Label("Direction")
    @Description("receive or send")
    String direction;

    @Label("Declared")
    @Description("Signalled (SDP or DirectApi) rather than learnt from its first packet")
    boolean declared;
}
