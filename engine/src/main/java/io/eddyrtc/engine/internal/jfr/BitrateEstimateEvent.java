package io.eddyrtc.engine.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Frequency;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Percentage;
import jdk.jfr.Timespan;

/** The send-side bandwidth estimate moved; made by the estimator's caller through {@code RtcTimeline.bitrateEstimate}. */
@Name("io.eddyrtc.BitrateEstimate")
@Label("Bitrate Estimate")
@Category({"eddy", "Congestion Control"})
@Description("The send-side bandwidth estimate changed")
final class BitrateEstimateEvent extends RtcEvent {
    @Label("Estimate")
    @Description("What the path carries for us, as far as the estimator knows")
    @DataAmount(DataAmount.BITS)
    @Frequency
    long estimate;

    @Label("Previous Estimate")
    @DataAmount(DataAmount.BITS)
    @Frequency
    long previous;

    @Label("Acknowledged")
    @Description("The rate the peer's feedback acknowledged")
    @DataAmount(DataAmount.BITS)
    @Frequency
    long acknowledged;

    @Label("Loss")
    @Percentage
    double loss;

    @Label("Round Trip")
    @Timespan(Timespan.NANOSECONDS)
    long rtt;

    @Label("Delay Signal")
    @Description("What the delay-based detector sees: NORMAL, OVERUSING or UNDERUSING")
    String usage;
}
