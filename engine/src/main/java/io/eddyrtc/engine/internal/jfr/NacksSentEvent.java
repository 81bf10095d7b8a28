package io.eddyrtc.engine.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** One received stream's NACKs since the last summary. */
@Name("io.eddyrtc.NacksSent")
@Label("NACKs Sent")
@Category({"eddy", "Media"})
@Description("Sequence numbers a received stream asked the peer to resend, and repairs that came, since the last summary")
final class NacksSentEvent extends StreamEvent {
    @Label("Sequence Numbers")
    @Description("Sequence numbers asked for in NACKs (each try counts)")
    long sequences;

    @Label("Repaired")
    @Description("Packets that arrived by RTX and filled a gap")
    long repaired;
}
