package io.eddyrtc.engine.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

@Name("io.eddyrtc.StreamPaused")
@Label("Stream Paused")
@Category({"eddy", "Media"})
@Description("A received stream fell silent (paused) or its packets came again (resumed)")
final class StreamPausedEvent extends StreamEvent {
    @Label("Paused")
    @Description("true: fell silent; false: resumed")
    boolean paused;
}
