package io.eddyrtc.engine.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

@Name("io.eddyrtc.IceState")
@Label("ICE State")
@Category({"eddy", "ICE"})
@Description("The ICE connection state changed")
final class IceStateEvent extends RtcEvent {
    @Label("State")
    String state;

    @Label("Previous State")
    String previous;
}
