package io.eddyrtc.engine.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** One layer's drops for one reason since the last summary: a count, never one event per packet. */
@Name("io.eddyrtc.PacketsDropped")
@Label("Packets Dropped")
@Category({"eddy", "Drops"})
@Description("Datagrams or packets a layer dropped for one reason since its last summary (at most one a second)")
final class PacketsDroppedEvent extends RtcEvent {
    @Label("Layer")
    @Description("Rtc (RtcDropReason), ICE (IceDropReason) or SRTP (SrtpDropReason, received packets)")
    String layer;

    @Label("Reason")
    String reason;

    @Label("Count")
    @Description("Dropped since the last summary")
    long count;

    @Label("Total")
    @Description("Dropped for this reason since the Rtc began")
    long total;
}
