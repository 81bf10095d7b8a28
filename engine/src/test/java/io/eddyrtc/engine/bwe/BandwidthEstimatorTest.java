package io.eddyrtc.engine.bwe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.engine.rtcp.TwccReport;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The estimator as a whole: REMB, feedback timeouts, probes on request, and nothing allocated per packet. */
@org.junit.jupiter.api.extension.ExtendWith(io.eddyrtc.buffers.testkit.SeedExtension.class)
class BandwidthEstimatorTest {
    private static final long MS = 1_000_000L;

    /** Sends {@code packets} of 1200 bytes, 5 ms apart from {@code start}, all arriving 30 ms later; feeds back every 10. */
    private static long flow(BandwidthEstimator bwe, TwccRecorder peer, long start, int firstSequence, int packets) {
        long t = start;
        for (int i = 0; i < packets; i++) {
            t = start + i * 5 * MS;
            int s = (firstSequence + i) & 0xFFFF;
            bwe.onPacketSent(t, s, 1200, false, -1);
            peer.onPacket(t + 30 * MS, s, 1);
            if (i % 10 == 9) {
                TwccReport report = peer.nextFeedback(t + 30 * MS);
                bwe.onTransportFeedback(t + 60 * MS, report);
            }
        }
        return t;
    }

    /**
     * Whatever a peer puts in its feedback — numbers we never sent, arrival times going back and far ahead, runs
     * of losses, repeats, counts out of order — and whatever REMB it sends, nothing is thrown and the estimate
     * stays within the configured bounds.
     */
    @Test
    void hostileFeedbackNeverThrowsAndKeepsTheEstimateInBounds(@io.eddyrtc.buffers.testkit.Seed long seed) {
        java.util.Random random = new java.util.Random(seed);
        BweConfig config = BweConfig.startingAt(300_000);
        BandwidthEstimator bwe = new BandwidthEstimator(config);
        bwe.start(0);
        TwccReport report = new TwccReport();
        long now = 1_000 * MS;
        int sent = 0;
        for (int round = 0; round < 5_000; round++) {
            now += random.nextInt(20) * MS;
            for (int i = random.nextInt(20); i > 0; i--) {
                bwe.onPacketSent(now, sent++ & 0xFFFF, 1 + random.nextInt(1400), random.nextBoolean(), random.nextInt(3) - 1);
            }
            int base = random.nextBoolean() ? (sent - random.nextInt(200)) & 0xFFFF : random.nextInt(1 << 16);
            report.begin(base, random.nextInt(256));
            long arrival = random.nextLong(-1L << 40, 1L << 40);
            for (int i = random.nextInt(300); i > 0; i--) {
                boolean ok = random.nextInt(4) == 0 ? report.addLost() : report.addReceived(arrival += random.nextLong(-50 * MS, 50 * MS));
                if (!ok) {
                    break;
                }
            }
            bwe.onTransportFeedback(now, report);
            if (random.nextInt(50) == 0) {
                bwe.onRemb(now, 1 + random.nextLong(Long.MAX_VALUE - 1));
            }
            if (now >= bwe.nextDeadline()) {
                bwe.handleTimeout(now);
            }
            while (bwe.hasProbe()) {
                bwe.nextProbe();
            }
            assertTrue(bwe.estimate() >= config.minBps() && bwe.estimate() <= config.maxBps(), "in bounds: " + bwe.estimate());
        }
    }

    /** A REMB from a peer without transport-wide feedback is the estimate; with feedback, a ceiling. */
    @Test
    void rembIsTheEstimateWithoutFeedbackAndACeilingWithIt() {
        BandwidthEstimator bwe = new BandwidthEstimator(BweConfig.startingAt(300_000));
        bwe.onRemb(1_000 * MS, 800_000);
        assertEquals(800_000, bwe.estimate());
        flow(bwe, new TwccRecorder(1200), 1_000 * MS, 0, 400); // 1.9 Mbit/s for two seconds
        assertTrue(bwe.estimate() <= 800_000, "REMB caps it: " + bwe.estimate());
        bwe.onRemb(3_000 * MS, 400_000);
        assertEquals(400_000, bwe.estimate());
    }

    /** Sending into silence after feedback had come backs off by a fifth each second; a peer that never gave any is left alone. */
    @Test
    void silenceAfterFeedbackBacksOffButNoFeedbackAtAllDoesNot() {
        BandwidthEstimator bwe = new BandwidthEstimator(BweConfig.startingAt(1_000_000).withProbing(false));
        long t = flow(bwe, new TwccRecorder(1200), 1_000 * MS, 0, 100);
        long before = bwe.estimate();
        bwe.onPacketSent(t + 10 * MS, 100, 1200, false, -1); // and then nothing comes back
        long deadline = bwe.nextDeadline();
        assertEquals(t + 10 * MS + 1_000 * MS, deadline);
        bwe.handleTimeout(deadline);
        assertEquals((long) (before * 0.8), bwe.estimate(), before / 100);

        BandwidthEstimator deaf = new BandwidthEstimator(BweConfig.startingAt(1_000_000).withProbing(false));
        deaf.onPacketSent(1_000 * MS, 0, 1200, false, -1);
        assertEquals(Long.MAX_VALUE, deaf.nextDeadline());
        deaf.handleTimeout(10_000 * MS);
        assertEquals(1_000_000, deaf.estimate());
    }

    /** Probes: two at the start, one when asked for, none without probing. */
    @Test
    void probesAtTheStartAndOnRequest() {
        BandwidthEstimator bwe = new BandwidthEstimator(BweConfig.startingAt(300_000));
        assertNull(bwe.nextProbe(), "nothing before the start");
        bwe.start(1_000 * MS);
        assertEquals(900_000, bwe.nextProbe().targetBps());
        assertEquals(1_800_000, bwe.nextProbe().targetBps());
        bwe.requestProbe(1_100 * MS, 5_000_000);
        ProbeCluster asked = bwe.nextProbe();
        assertNotNull(asked);
        assertEquals(5_000_000, asked.targetBps());
        BandwidthEstimator quiet = new BandwidthEstimator(BweConfig.startingAt(300_000).withProbing(false));
        quiet.start(1_000 * MS);
        quiet.requestProbe(1_000 * MS, 5_000_000);
        assertNull(quiet.nextProbe());
    }

    /**
     * An application sending far less than the estimate (an SFU forwarding a low layer) whose packets meet a
     * growing queue backs off from the estimate, not from the little it sent: what arrived of an
     * application-limited sender says nothing about what the path carries, and backing off to it left an SFU's
     * subscriber on its lowest layer long after its path had room.
     */
    @Test
    void anApplicationLimitedSenderBacksOffFromTheEstimateNotFromWhatItSent() {
        BandwidthEstimator bwe = new BandwidthEstimator(BweConfig.startingAt(3_000_000).withProbing(false));
        TwccRecorder peer = new TwccRecorder(1200);
        long start = 1_000 * MS;
        long queue = 0;
        int sequence = 0;
        for (long t = start; t < start + 3_600 * MS; t += 32 * MS) { // 600 bytes every 32 ms: 150 kbit/s
            if (t >= start + 3_000 * MS && t < start + 3_300 * MS) {
                if (queue == 0) {
                    assertTrue(bwe.applicationLimited(), "150 kbit/s of a 3 Mbit/s estimate");
                }
                queue += 4 * MS; // for 300 ms each packet waits 4 ms longer than the one before
            }
            bwe.onPacketSent(t, sequence, 600, false, -1);
            peer.onPacket(t + 30 * MS + queue, sequence, 1);
            sequence++;
            if (sequence % 3 == 0) {
                bwe.onTransportFeedback(t + 60 * MS + queue, peer.nextFeedback(t + 30 * MS + queue));
            }
        }
        assertTrue(bwe.estimate() < 3_000_000, "the queue grew: backed off, to " + bwe.estimate());
        assertTrue(bwe.estimate() > 1_000_000, "from the estimate, not from the 150 kbit/s sent: " + bwe.estimate());
    }

    @Test
    void bitratesMustBePositive() {
        BandwidthEstimator bwe = new BandwidthEstimator(BweConfig.startingAt(300_000));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bwe.setDesiredBitrate(0));
        assertTrue(e.getMessage().contains("bits per second"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BweConfig(300_000, 400_000, 1_000_000, true));
    }

    /** History, feedback, estimation and pacing allocate nothing per packet once warm. */
    @Test
    void perPacketAndPerFeedbackWorkAllocatesNothing() {
        BandwidthEstimator bwe = new BandwidthEstimator(BweConfig.startingAt(1_000_000).withProbing(false));
        Pacer pacer = new Pacer(1_000_000);
        TwccRecorder peer = new TwccRecorder(1200);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int warm = 50_000;
        int measured = 20_000;
        long before = 0;
        long now = 1_000 * MS;
        for (int i = 0; i < warm + measured; i++) {
            if (i == warm) {
                before = threads.getCurrentThreadAllocatedBytes();
            }
            now = Math.max(now + MS, pacer.nextSendAt(now, 1200));
            pacer.canSend(now, 1200);
            int cluster = pacer.onSent(now, 1200, true);
            bwe.onPacketSent(now, i & 0xFFFF, 1200, false, cluster);
            if (i % 50 != 7) {
                peer.onPacket(now + 20 * MS + (i % 3) * MS, i & 0xFFFF, 1);
            }
            if (now >= peer.dueAt()) {
                TwccReport report = peer.nextFeedback(now);
                if (report != null) {
                    bwe.onTransportFeedback(now + 20 * MS, report);
                    pacer.setEstimate(bwe.estimate());
                }
            }
            if (now >= bwe.nextDeadline()) {
                bwe.handleTimeout(now);
            }
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(bwe.feedbackReports() > 100, "feedback flowed: " + bwe.feedbackReports());
        assertTrue(allocated < 16_000, measured + " packets allocated " + allocated + " bytes");
    }
}
