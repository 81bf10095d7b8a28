package io.eddyrtc.sctp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eddyrtc.buffers.MemoryBudget;
import io.eddyrtc.buffers.PacketPool;
import java.security.SecureRandom;
import org.junit.jupiter.api.AfterEach;

/**
 * Every test of {@link SctpAssociationTest} again with the associations keeping message bytes in slots of one shared
 * pool, as an {@code Rtc} runs them: in debug mode, so a slot used after it went back throws, and after each test,
 * once both associations are aborted and their events polled, every slot must be back (a leak names where it was taken).
 */
class PooledSctpAssociationTest extends SctpAssociationTest {
    private final PacketPool pool = PacketPool.builder().debug(true).slotSize(2048).slotsPerSlab(64).build();

    @Override
    SctpAssociation association(SctpConfig config) {
        return new SctpAssociation(config, new SecureRandom(), pool, MemoryBudget.of(16 << 20));
    }

    @AfterEach
    void everySlotGoesBackWhenTheAssociationsEnd() {
        if (a != null) {
            a.sctp.abort("the test is over");
            b.sctp.abort("the test is over");
            a.collect(net.now());
            b.collect(net.now());
            a.sctp.pollTransmit(); // the last packets' buffers are the association's own, not the pool's
            b.sctp.pollTransmit();
        }
        assertEquals(0, pool.inUse(), "slots still held after both associations ended");
        pool.close();
    }
}
