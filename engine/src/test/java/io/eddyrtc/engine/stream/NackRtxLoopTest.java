package io.eddyrtc.engine.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.buffers.testkit.LinkConditions;
import io.eddyrtc.buffers.testkit.SansIoNode;
import io.eddyrtc.buffers.testkit.Seed;
import io.eddyrtc.buffers.testkit.SeedExtension;
import io.eddyrtc.buffers.testkit.VirtualNetwork;
import io.eddyrtc.engine.rtp.RtpDropReason;
import io.eddyrtc.engine.rtp.RtpHeader;
import io.eddyrtc.buffers.MemoryBudget;
import io.eddyrtc.buffers.PacketPool;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.BitSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A send stream and a receive stream wired through a seeded lossy virtual network: media one way, NACKs
 * back (in a test-only framing, since the RTCP writer lives elsewhere), RTX answers forward, all in virtual
 * time.
 */
@ExtendWith(SeedExtension.class)
class NackRtxLoopTest {
    private static final long MS = 1_000_000L;
    private static final long SSRC = 0x0101_0101L;
    private static final long RTX_SSRC = 0x0202_0202L;
    private static final InetSocketAddress A = new InetSocketAddress("10.0.0.1", 1000);
    private static final InetSocketAddress B = new InetSocketAddress("10.0.0.2", 2000);
    private static final byte NACK = 'N';

    /** Sends 1000-byte video packets every 5 ms until {@code stopAt}, answers NACKs with RTX. */
    static final class Sender implements SansIoNode {
        final SendStream stream;
        final long stopAt;
        final MemorySegment payload = MemorySegment.ofArray(new byte[1000]);
        final MemorySegment buffer = MemorySegment.ofArray(new byte[1500]);
        final ArrayDeque<byte[]> out = new ArrayDeque<>();
        final int[] seqs = new int[17];
        long nextMediaAt;
        long mediaBytes;
        long rtxAnsweredAfterStop;

        Sender(SendStreamConfig config, long start, long stopAt) {
            this.stream = new SendStream(config, PacketPool.builder().build(), MemoryBudget.unlimited());
            this.nextMediaAt = start;
            this.stopAt = stopAt;
        }

        @Override
        public void receive(long now, InetSocketAddress source, InetSocketAddress destination, byte[] d) {
            if (d.length == 0 || d[0] != NACK) {
                return;
            }
            MemorySegment s = MemorySegment.ofArray(d);
            for (int at = 1; at + 4 <= d.length; at += 4) {
                int pair = s.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), at);
                int n = NackPairs.unpack(NackPairs.pid(pair), NackPairs.blp(pair), seqs, 0);
                for (int i = 0; i < n; i++) {
                    int len = stream.answerNack(now, seqs[i], buffer, 0, 1500);
                    if (len > 0) {
                        out.add(buffer.asSlice(0, len).toArray(ValueLayout.JAVA_BYTE));
                        if (now > stopAt) {
                            rtxAnsweredAfterStop++;
                        }
                    }
                }
            }
        }

        @Override
        public void timeout(long now) {
            while (nextMediaAt <= now && nextMediaAt < stopAt) {
                long ticks = (nextMediaAt / MS) * 90; // the source's clock: 90 kHz from its own zero
                int len = stream.write(now, buffer, 0, 1500, false, ticks, payload, 0, 1000, null, null);
                mediaBytes += len;
                out.add(buffer.asSlice(0, len).toArray(ValueLayout.JAVA_BYTE));
                nextMediaAt += 5 * MS;
            }
        }

        @Override
        public long nextDeadline() {
            return nextMediaAt < stopAt ? nextMediaAt : Long.MAX_VALUE;
        }

        @Override
        public void drainTransmits(long now, Transmitter t) {
            while (!out.isEmpty()) {
                t.send(A, B, out.poll());
            }
        }
    }

    /** Receives media and RTX, NACKs what is missing when its stream says NACKs are due. */
    static final class Receiver implements SansIoNode {
        final ReceiveStream stream = new ReceiveStream(SSRC, ReceiveStreamConfig.defaults(90_000));
        final RtpHeader header = new RtpHeader();
        final BitSet delivered = new BitSet();
        final int[] missing = new int[128];
        final int[] pairs = new int[128];
        final ArrayDeque<byte[]> out = new ArrayDeque<>();
        long now;
        long highest = -1;

        Receiver() {
            stream.setRtxSsrc(RTX_SSRC);
        }

        @Override
        public void receive(long now, InetSocketAddress source, InetSocketAddress destination, byte[] d) {
            this.now = now;
            if (header.parse(MemorySegment.ofArray(d), 0, d.length) != RtpDropReason.NONE) {
                return;
            }
            ReceiveOutcome o = header.ssrc() == RTX_SSRC ? stream.onRtx(now, header, 96) : stream.onRtp(now, header);
            if (o == ReceiveOutcome.NEW || o == ReceiveOutcome.LATE) {
                long ext = stream.lastExtendedSequence() - 65_000; // index from the sender's first number
                assertTrue(!delivered.get((int) ext), "delivered twice: " + ext);
                delivered.set((int) ext);
                highest = Math.max(highest, ext);
            }
        }

        @Override
        public void timeout(long now) {
            this.now = now;
            int n = stream.pollNacks(now, missing);
            if (n == 0) {
                return;
            }
            int p = NackPairs.pack(missing, n, pairs);
            byte[] d = new byte[1 + 4 * p];
            d[0] = NACK;
            MemorySegment s = MemorySegment.ofArray(d);
            for (int i = 0; i < p; i++) {
                s.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 1 + 4L * i, pairs[i]);
            }
            out.add(d);
        }

        @Override
        public long nextDeadline() {
            long t = stream.nextTimeout();
            return t == Long.MAX_VALUE ? t : Math.max(t, now + 1);
        }

        @Override
        public void drainTransmits(long now, Transmitter t) {
            while (!out.isEmpty()) {
                t.send(B, A, out.poll());
            }
        }
    }

    private static SendStreamConfig config() {
        return SendStreamConfig.video(SSRC, 96).withRtx(RTX_SSRC, 97).withInitial(65_000, 0xFFF0_0000L);
    }

    /**
     * 5 % loss both ways, jitter and reordering: NACK and RTX repair every packet up to the newest one
     * received (a lost tail cannot be NACKed: nothing reveals it) within five tries.
     */
    @Test
    void nackAndRtxRecoverEverythingAtFivePercentLoss(@Seed long seed) {
        VirtualNetwork net = new VirtualNetwork(seed, 1_000 * MS);
        LinkConditions lossy = LinkConditions.typical().withLoss(0.05).withReorder(0.02, 10);
        Sender sender = new Sender(config(), 1_000 * MS, 11_000 * MS);
        Receiver receiver = new Receiver();
        net.attach(sender, A).attach(receiver, B).conditionsBothWays(A, B, lossy);
        net.runUntil(13_000 * MS);

        assertEquals(2000, sender.stream.packetsSent());
        long highest = receiver.highest;
        assertTrue(highest >= 1990, "most of the tail arrived: " + highest);
        assertEquals(highest + 1, receiver.delivered.cardinality(), "every packet up to the newest, once");
        ReportBlockValues block = new ReportBlockValues();
        receiver.stream.fillReportBlock(net.now(), block);
        assertEquals(0, block.cumulativeLost);
        assertTrue(receiver.stream.repairedPackets() > 50, "repairs happened: " + receiver.stream.repairedPackets());
        assertTrue(sender.stream.rtxBytesSent() < 0.15 * sender.mediaBytes, "RTX within its share");
    }

    /**
     * 30 % loss both ways: the RTX budget (15 % of media) runs out and refuses, yet repair never stops —
     * retransmissions flow to the end, and after media stops the time-based floor still answers.
     */
    @Test
    void rtxCapHoldsUnderHeavyLossWithoutDeadlock(@Seed long seed) {
        VirtualNetwork net = new VirtualNetwork(seed, 1_000 * MS);
        LinkConditions lossy = LinkConditions.typical().withLoss(0.30);
        SendStreamConfig config = config();
        long stopAt = 21_000 * MS;
        Sender sender = new Sender(config, 1_000 * MS, stopAt);
        Receiver receiver = new Receiver();
        net.attach(sender, A).attach(receiver, B).conditionsBothWays(A, B, lossy);

        net.runUntil(19_000 * MS);
        long rtxAt19 = sender.stream.rtxPacketsSent();
        net.runUntil(stopAt);
        assertTrue(sender.stream.rtxPacketsSent() > rtxAt19, "still retransmitting in the last two seconds");

        // the cap: share of media, plus the saved-up burst, plus the time floor
        double seconds = (stopAt - 1_000 * MS) / 1e9;
        double cap = config.rtxShare() * sender.mediaBytes + config.rtxBurstBytes() + config.rtxFloorBytesPerSecond() * seconds;
        assertTrue(sender.stream.rtxBytesSent() <= cap, "RTX " + sender.stream.rtxBytesSent() + " > cap " + cap);
        assertTrue(sender.stream.stats(stopAt).rtxOverBudget() > 0, "the budget did refuse some");
        assertTrue(sender.stream.rtxBytesSent() > 0.10 * sender.mediaBytes, "and used most of its share");

        // media stops; NACKs for the last packets are still answered from the floor credit
        net.runUntil(stopAt + 2_000 * MS);
        assertTrue(sender.rtxAnsweredAfterStop > 0, "answers after media stopped");
    }
}
