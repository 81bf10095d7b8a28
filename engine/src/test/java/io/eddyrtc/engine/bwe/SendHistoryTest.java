package io.eddyrtc.engine.bwe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.engine.rtcp.TwccReport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What we sent, matched with what the peer's transport-wide feedback says about it. */
class SendHistoryTest {
    private static final long MS = 1_000_000L;

    private record Seen(long sequence, long sentAt, long arrivedAt, int bytes, int cluster, boolean received, boolean lateAfterLoss) {
    }

    private static final class Recorder implements SendHistory.Listener {
        final List<Seen> seen = new ArrayList<>();

        @Override
        public void received(long sequence, long sentAt, long arrivedAt, int bytes, int probeCluster, boolean reportedLostBefore) {
            seen.add(new Seen(sequence, sentAt, arrivedAt, bytes, probeCluster, true, reportedLostBefore));
        }

        @Override
        public void lost(long sequence, long sentAt, int bytes) {
            seen.add(new Seen(sequence, sentAt, Long.MIN_VALUE, bytes, -1, false, false));
        }
    }

    /** Each packet is passed on with its send time, size and cluster, and arrival deltas as the peer measured them. */
    @Test
    void feedbackIsMatchedPacketByPacketWithArrivalDeltas() {
        SendHistory history = new SendHistory();
        TwccRecorder peer = new TwccRecorder(1200);
        long t = 1_000 * MS;
        for (int s = 0; s < 10; s++) {
            history.onSent(t + s * MS, s, 1000 + s, s < 5 ? 7 : -1);
            if (s != 4) {
                peer.onPacket(t + 30 * MS + 2 * s * MS, s, 1); // 30 ms one way, arriving 2 ms apart (sent 1 ms apart)
            }
        }
        Recorder r = new Recorder();
        assertEquals(10, history.onFeedback(peer.nextFeedback(t + 100 * MS), r));
        assertEquals(10, r.seen.size());
        Seen first = r.seen.get(0);
        assertEquals(t, first.sentAt());
        assertEquals(1000, first.bytes());
        assertEquals(7, first.cluster());
        assertFalse(r.seen.get(4).received(), "4 never arrived");
        assertEquals(-1, r.seen.get(5).cluster());
        for (int s = 1; s < 10; s++) {
            if (s != 4 && s != 5) {
                assertEquals(2 * MS, r.seen.get(s).arrivedAt() - r.seen.get(s - 1).arrivedAt(), 250_000, "arrival delta of " + s);
            }
        }
    }

    /** A number fed back twice is passed on once; one reported lost and then received is passed on again, as late. */
    @Test
    void duplicatesAreDroppedAndALateArrivalAfterALossReportCountsAsReceived() {
        SendHistory history = new SendHistory();
        TwccRecorder peer = new TwccRecorder(1200);
        long t = 1_000 * MS;
        for (int s = 0; s < 4; s++) {
            history.onSent(t + s * MS, s, 500, -1);
        }
        peer.onPacket(t + 20 * MS, 0, 1);
        peer.onPacket(t + 21 * MS, 1, 1);
        peer.onPacket(t + 23 * MS, 3, 1); // 2 is late
        Recorder r = new Recorder();
        TwccReport report = peer.nextFeedback(t + 50 * MS);
        history.onFeedback(report, r);
        assertFalse(r.seen.get(2).received());
        assertEquals(0, history.onFeedback(report, r), "the same feedback again passes nothing on");
        peer.onPacket(t + 60 * MS, 2, 1);
        r.seen.clear();
        history.onFeedback(peer.nextFeedback(t + 100 * MS), r);
        assertEquals(1, r.seen.size(), "only 2 is new; 3, described again, was passed on before");
        assertTrue(r.seen.get(0).received() && r.seen.get(0).lateAfterLoss());
    }

    /** Numbers wrap at 16 bits and the feedback's 24-bit reference time wraps too; both are unwrapped. */
    @Test
    void sequenceAndReferenceTimeWrapsAreUnwrapped() {
        SendHistory history = new SendHistory();
        TwccRecorder peer = new TwccRecorder(1200);
        long wrapNanos = (1L << 24) * TwccReport.REFERENCE_NANOS; // the reference time's period, about 12 days
        long t = wrapNanos - 40 * MS;
        Recorder r = new Recorder();
        for (int i = 0; i < 200; i++) {
            int s = (65_500 + i) & 0xFFFF;
            long sent = t + i * 5 * MS;
            history.onSent(sent, s, 1000, -1);
            peer.onPacket(sent + 25 * MS, s, 1);
            if (i % 10 == 9) {
                history.onFeedback(peer.nextFeedback(sent + 25 * MS), r);
            }
        }
        assertEquals(200, r.seen.size());
        for (int i = 1; i < 200; i++) {
            Seen a = r.seen.get(i - 1);
            Seen b = r.seen.get(i);
            assertEquals(a.sequence() + 1, b.sequence(), "extended numbers climb across 65535");
            assertEquals(5 * MS, b.arrivedAt() - a.arrivedAt(), 250_000, "arrival times climb across the reference wrap at " + i);
        }
    }

    /** Feedback about numbers we never sent, or older than the ring, is ignored. */
    @Test
    void numbersNotSentOrOlderThanTheRingAreIgnored() {
        SendHistory history = new SendHistory();
        long t = 1_000 * MS;
        for (int s = 0; s < SendHistory.CAPACITY + 100; s++) {
            history.onSent(t + s * 100_000L, s, 100, -1);
        }
        Recorder r = new Recorder();
        TwccReport report = new TwccReport();
        report.begin(5, 0); // long gone from the ring
        report.addReceived(t);
        report.addReceived(t + MS);
        assertEquals(0, history.onFeedback(report, r));
        report.begin(SendHistory.CAPACITY + 150, 1); // never sent
        report.addReceived(t + 2 * MS);
        assertEquals(0, history.onFeedback(report, r));
        report.begin(SendHistory.CAPACITY + 99, 2); // the last one sent
        report.addReceived(t + 3 * MS);
        assertEquals(1, history.onFeedback(report, r));
        assertEquals(List.of(true), r.seen.stream().map(Seen::received).toList());
    }
}
