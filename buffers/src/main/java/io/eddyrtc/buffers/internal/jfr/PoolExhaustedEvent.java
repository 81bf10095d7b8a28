package io.eddyrtc.buffers.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A {@code PacketPool} ran dry: from the first acquisition it refused until an eighth of its slots were free again,
 * with the acquisitions refused meanwhile. One event per episode, never one per refusal: a dry pool refuses a packet
 * at a time, and refilling an eighth of it takes that many packets, so episodes cannot come faster than that.
 */
@Name("io.eddyrtc.PoolExhausted")
@Label("Packet Pool Exhausted")
@Category({"eddy", "Buffers"})
@Description("A packet pool had no free slot: the span until an eighth of it was free again, and what it refused meanwhile")
@StackTrace(false)
public final class PoolExhaustedEvent extends jdk.jfr.Event {
    // never committed: isEnabled() reads the type's shared state, so asking it makes nothing
    private static final PoolExhaustedEvent PROBE = new PoolExhaustedEvent();

    @Label("Refused")
    @Description("Acquisitions refused during the episode")
    long refused;

    @Label("Max Slots")
    int maxSlots;

    @Label("Slot Size")
    @DataAmount(DataAmount.BYTES)
    int slotSize;

    @Label("Pool")
    @Description("Which pool (its identity hash), to tell several apart")
    int pool;

    private PoolExhaustedEvent() {
    }

    /** The event of an episode that starts now, or null when no recording wants it. */
    public static PoolExhaustedEvent beginIfEnabled(Object pool, int maxSlots, int slotSize) {
        if (!PROBE.isEnabled()) {
            return null;
        }
        PoolExhaustedEvent e = new PoolExhaustedEvent();
        e.pool = System.identityHashCode(pool);
        e.maxSlots = maxSlots;
        e.slotSize = slotSize;
        e.begin();
        return e;
    }

    /** The episode is over, having refused {@code refused} acquisitions. */
    public void finish(long refused) {
        end();
        if (shouldCommit()) {
            this.refused = refused;
            commit();
        }
    }
}
