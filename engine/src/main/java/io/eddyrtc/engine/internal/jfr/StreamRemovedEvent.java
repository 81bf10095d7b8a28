package io.eddyrtc.engine.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

@Name("io.eddyrtc.StreamRemoved")
@Label("Stream Removed")
@Category({"eddy", "Media"})
@Description("An RTP stream was forgotten: its m-line stopped, or a newer undeclared stream took its place")
final class StreamRemovedEvent extends StreamEvent {
    @Label("Direction")
    @Description("receive or send")
    String direction;
}
