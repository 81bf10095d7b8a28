package io.eddyrtc.engine.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** One sent stream's NACKs from the peer since the last summary, and what was resent. */
@Name("io.eddyrtc.NacksReceived")
@Label("NACKs Received")
@Category({"eddy", "Media"})
@Description("Sequence numbers the peer asked for on a stream we send, and the RTX sent or refused, since the last summary")
final class NacksReceivedEvent extends StreamEvent {
    @Label("Sequence Numbers")
    @Description("Sequence numbers the peer asked for")
    long sequences;

    @Label("RTX Sent")
    long rtxSent;

    @Label("RTX Refused by Budget")
    @Description("Asked for and still kept, but over the RTX budget")
    long rtxOverBudget;

    @Label("Unanswered")
    @Description("Asked for but no longer kept (or never)")
    long unanswered;
}
