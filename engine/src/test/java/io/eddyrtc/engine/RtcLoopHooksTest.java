package io.eddyrtc.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.PacketBuffer;
import io.eddyrtc.buffers.PacketPool;
import io.eddyrtc.buffers.testkit.LinkConditions;
import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import io.eddyrtc.engine.sim.RtcPair;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a server loop needs of an {@code Rtc} beyond the one-peer run loop: {@link Output.Transmit#take()}, which
 * keeps a datagram past the next call so that many peers' datagrams go out in one batch, and the change
 * listener, which says which {@code Rtc}s a handler wrote into so that only those are polled.
 */
@ExtendWith(SeedExtension.class)
class RtcLoopHooksTest {
    static final long S = 1_000_000_000L;

    /** A debug pool: a slot read after it went back throws, so "still valid" below is checked by the JDK. */
    final PacketPool pool = PacketPool.builder().slotSize(2048).debug(true).build();

    RtcPair connected(long seed) {
        RtcPair pair = RtcPair.withDtls(seed, LinkConditions.perfect().withLatencyMillis(10), RtcDtlsTest.CERT_A, RtcDtlsTest.CERT_B,
                b -> b.pool(pool));
        assertTrue(pair.net().runUntil(pair::bothConnected, 10 * S));
        pair.a().nextDeadline(); // drains what connecting left to poll
        return pair;
    }

    static byte[] rtp(int length) {
        byte[] p = new byte[length];
        p[0] = (byte) 0x80;
        p[1] = 96;
        p[11] = 42; // SSRC 42
        for (int i = 12; i < length; i++) {
            p[i] = (byte) i;
        }
        return p;
    }

    @Test
    void aTakenMediaTransmitIsItsPoolSlotAndOutlivesTheNextCall(@Seed long seed) {
        Rtc a = connected(seed).a().rtc();
        assertTrue(a.writeRtp(MemorySegment.ofArray(rtp(1000)), 0, 1000));
        Output.Transmit x = assertInstanceOf(Output.Transmit.class, a.pollOutput());
        byte[] sent = x.copy();
        int held = pool.inUse();
        PacketBuffer taken = x.take();
        assertSame(x.segment(), taken.segment(), "the slot itself, not a copy");
        assertEquals(sent.length, taken.length());
        assertInstanceOf(Output.Timeout.class, a.pollOutput()); // the next call: a lent slot would go back now
        assertEquals(held, pool.inUse(), "the taken slot stayed out of the pool");
        assertArrayEquals(sent, taken.segment().asSlice(0, taken.length()).toArray(ValueLayout.JAVA_BYTE), "and kept its bytes");
        taken.release();
        assertEquals(held - 1, pool.inUse());
    }

    @Test
    void aTransmitInReusedMemoryIsCopiedIntoASlot(@Seed long seed) {
        RtcPair pair = RtcPair.withDtls(seed, LinkConditions.perfect(), RtcDtlsTest.CERT_A, RtcDtlsTest.CERT_B, b -> b.pool(pool));
        Rtc a = pair.a().rtc();
        a.handleTimeout(1_000_000);
        Output out = a.pollOutput();
        while (!(out instanceof Output.Transmit)) {
            out = a.pollOutput();
        }
        Output.Transmit check = (Output.Transmit) out;
        byte[] sent = check.copy();
        assertTrue(sent[0] < 4, "the first datagram is an ICE check, written in the agent's own reused memory");
        PacketBuffer taken = check.take();
        a.handleTimeout(2_000_000_000L); // the agent reuses its memory for the checks it sends next
        int checks = 0;
        for (Output o = a.pollOutput(); !(o instanceof Output.Timeout); o = a.pollOutput()) {
            checks++;
        }
        assertTrue(checks > 0, "more checks went out meanwhile");
        assertArrayEquals(sent, taken.segment().asSlice(0, taken.length()).toArray(ValueLayout.JAVA_BYTE));
        taken.release();
    }

    @Test
    void aTransmitIsTakenOnce(@Seed long seed) {
        Rtc a = connected(seed).a().rtc();
        assertTrue(a.writeRtp(MemorySegment.ofArray(rtp(200)), 0, 200));
        Output.Transmit x = assertInstanceOf(Output.Transmit.class, a.pollOutput());
        PacketBuffer taken = x.take();
        IllegalStateException e = assertThrows(IllegalStateException.class, x::take);
        assertTrue(e.getMessage().contains("taken already"), e.getMessage());
        taken.release();
    }

    @Test
    void theChangeListenerHearsCallsFromOutsideTheInputPath(@Seed long seed) {
        RtcPair pair = connected(seed);
        Rtc a = pair.a().rtc();
        AtomicInteger heard = new AtomicInteger();
        a.setChangeListener(heard::incrementAndGet);
        a.handleTimeout(pair.net().now());
        while (!(a.pollOutput() instanceof Output.Timeout)) {
            // the caller of handleTimeout and pollOutput polls anyway: nothing to tell
        }
        assertEquals(0, heard.get());
        a.writeRtp(MemorySegment.ofArray(rtp(200)), 0, 200);
        assertEquals(1, heard.get(), "writing media");
        a.setReceiveBitrate(1_000_000);
        assertEquals(2, heard.get(), "announcing a budget");
        a.directApi().createDataChannel("late");
        assertTrue(heard.get() >= 3, "a DirectApi change");
        int before = heard.get();
        a.disconnect();
        assertEquals(before + 1, heard.get(), "disconnect, whose farewell is to be polled");
        a.setChangeListener(null);
    }
}
