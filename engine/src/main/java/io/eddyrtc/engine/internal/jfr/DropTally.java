package io.eddyrtc.engine.internal.jfr;

import java.util.function.ToLongFunction;

/**
 * One layer's drop counts as the last summary saw them, so that each summary puts on the timeline only the
 * reasons whose count moved, with how much. Reading the counts allocates nothing.
 *
 * @param <E> the layer's drop reasons
 */
public final class DropTally<E extends Enum<E>> {
    private final String layer;
    private final E[] reasons;
    private final ToLongFunction<E> counts;
    private final long[] reported;

    /**
     * @param layer   the layer as events name it ({@code "Rtc"}, {@code "ICE"}, {@code "SRTP"})
     * @param reasons the enum of its drop reasons
     * @param counts  its count for a reason, since it began
     */
    public DropTally(String layer, Class<E> reasons, ToLongFunction<E> counts) {
        this.layer = layer;
        this.reasons = reasons.getEnumConstants();
        this.counts = counts;
        this.reported = new long[this.reasons.length];
    }

    /** Each reason whose count moved since the last report goes on {@code timeline} with the difference. */
    public void report(RtcTimeline timeline) {
        for (int i = 0; i < reasons.length; i++) {
            long total = counts.applyAsLong(reasons[i]);
            if (total > reported[i]) {
                timeline.dropped(layer, reasons[i], total - reported[i], total);
            }
            reported[i] = total;
        }
    }
}
