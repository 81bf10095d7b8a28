package io.eddyrtc.engine.rtcp;

import static io.eddyrtc.engine.rtcp.RtcpTestSupport.hex;
import static io.eddyrtc.engine.rtcp.RtcpTestSupport.segment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Transport-wide CC feedback: building from arrival times, every chunk kind both ways, and seeded round trips. */
class RtcpTwccTest {
    private static final long MS = 1_000_000;

    private final MemorySegment out = Arena.ofAuto().allocate(1 << 18);
    private final RtcpWriter writer = new RtcpWriter();
    private final RtcpCompound compound = new RtcpCompound();
    private final TwccReport report = new TwccReport();

    @Test
    void buildsFromArrivalTimes() {
        long t0 = 1000 * 64 * MS + 3 * MS;
        report.begin(65534, 300);
        assertTrue(report.addReceived(t0));
        assertTrue(report.addLost());
        assertTrue(report.addReceived(t0 + 70 * MS));
        assertTrue(report.addReceived(t0 + 69 * MS));
        assertFalse(report.addReceived(t0 + 69 * MS + 9_000 * MS), "a delta over 32767 ticks (~8.2 s) does not fit");
        assertEquals(4, report.packetCount());
        assertEquals(1000, report.referenceTime());
        assertEquals(44, report.feedbackCount(), "300 & 0xFF");
        assertEquals(0, report.sequenceNumber(2), "65534 + 2 wraps");
        assertEquals(TwccReport.SMALL_DELTA, report.status(0));
        assertEquals(12, report.deltaTicks(0), "3 ms after the 64 ms reference");
        assertEquals(TwccReport.NOT_RECEIVED, report.status(1));
        assertEquals(TwccReport.LARGE_DELTA, report.status(2));
        assertEquals(280, report.deltaTicks(2));
        assertEquals(TwccReport.LARGE_DELTA, report.status(3));
        assertEquals(-4, report.deltaTicks(3), "reordered arrivals give a negative delta");
        assertEquals(3, report.receivedCount());
        long[] times = new long[4];
        assertEquals(4, report.arrivalTimesNanos(times));
        assertEquals("[" + t0 + ", " + TwccReport.NOT_RECEIVED_TIME + ", " + (t0 + 70 * MS) + ", " + (t0 + 69 * MS) + "]",
                java.util.Arrays.toString(times), "arrival times come back on the 250 µs grid they were recorded on");

        reparsed();
    }

    @Test
    void encodesEachChunkKind() {
        // 20 small deltas: one run-length chunk (0 01 0000000010100)
        setStatuses(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
        assertEquals("2014", chunks(1));
        // small and lost alternating, no large: a 14-symbol one-bit vector, then the last 2 as a run
        setStatuses(1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0);
        assertEquals("aaaa0002", chunks(2));
        // a large delta nearby: a 7-symbol two-bit vector (01 10 00 01 10 00 01), then the rest as a run
        setStatuses(1, 2, 0, 1, 2, 0, 1, 1);
        assertEquals("d8612001", chunks(2));
        // a run of 8 large deltas followed by mixed symbols: the run is worth a chunk of its own
        setStatuses(2, 2, 2, 2, 2, 2, 2, 2, 1, 0, 1);
        assertEquals("4008a800", chunks(2));
        // a run of 8191 lost caps one run-length chunk; the next chunk carries on
        int[] many = new int[8200];
        many[8199] = 1;
        setStatuses(many);
        assertEquals("1fff8020", chunks(2));
    }

    @Test
    void decodesEachChunkKind() {
        // one-bit vector of 14 covering 5 statuses (the other 9 ignored): small, small, lost, small, lost
        assertStatuses("8fcd0006 00000001 00000002 00000005 00000000 b4000102 03000000", "1 2 - 3 -");
        // two-bit vector: small, large, lost; deltas 5 and -1
        assertStatuses("8fcd0006 00000001 00000002 00000003 00000000 d80005ff ff000000", "5 -1 -");
        // run-length of 3 received with large deltas
        assertStatuses("8fcd0006 00000001 00000002 00000003 00000000 40030001 00020003", "1 2 3");
    }

    @Test
    void seededRoundTrips() {
        long seed = 0x5EEDL;
        SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 2000; round++) {
            int n = 1 + random.nextInt(round % 10 == 0 ? 3000 : 60);
            report.begin(random.nextInt(65536), random.nextInt(256));
            long t = random.nextLong(1L << 40);
            for (int i = 0; i < n; i++) {
                int kind = random.nextInt(10);
                if (kind < 2) {
                    report.addLost();
                } else {
                    t += kind < 8 ? random.nextLong(64 * MS) : random.nextLong(-100 * MS, 2_000 * MS);
                    if (!report.addReceived(t)) {
                        break;
                    }
                }
            }
            int r = round;
            org.junit.jupiter.api.Assertions.assertDoesNotThrow(this::reparsed, () -> "seed " + seed + " round " + r);
        }
    }

    @Test
    void refusesFeedbackThatDoesNotFit() {
        setStatuses(1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 2, 2, 2, 2, 2, 2, 2, 2, 1);
        writer.begin(out, 0, 1000);
        assertTrue(writer.transportFeedback(1, 2, report));
        int needed = writer.finish();
        for (int capacity : new int[] {0, 19, 21, 23, needed - 1}) {
            writer.begin(out, 0, capacity);
            assertFalse(writer.transportFeedback(1, 2, report), "capacity " + capacity);
            assertEquals(0, writer.finish());
        }
        writer.begin(out, 0, needed);
        assertTrue(writer.transportFeedback(1, 2, report));
        assertEquals(needed, writer.finish());
    }

    @Test
    void theDecodedFormIsReused() {
        setStatuses(new int[5000]);
        TwccReport first = reparsed();
        setStatuses(1);
        assertSame(first, reparsed(), "one report per flyweight, whatever the size");
    }

    /** Writes {@link #report}, parses it back and checks it is identical; returns the parsed report. */
    private TwccReport reparsed() {
        writer.begin(out, 0, (int) out.byteSize());
        assertTrue(writer.transportFeedback(1, 2, report));
        int n = writer.finish();
        assertEquals(0, n % 4);
        compound.wrap(out, 0, n);
        assertTrue(compound.next(), () -> "dropped: " + compound.lastDropReason());
        TwccReport parsed = compound.transportFeedback().report();
        assertEquals(report.baseSequence(), parsed.baseSequence());
        assertEquals(report.referenceTime(), parsed.referenceTime());
        assertEquals(report.feedbackCount(), parsed.feedbackCount());
        assertEquals(report.packetCount(), parsed.packetCount());
        for (int i = 0; i < report.packetCount(); i++) {
            assertEquals(report.status(i), parsed.status(i), "status " + i);
            assertEquals(report.deltaTicks(i), parsed.deltaTicks(i), "delta " + i);
        }
        return parsed;
    }

    private void setStatuses(int... statuses) {
        report.beginDecode(0, statuses.length, 0, 0);
        for (int i = 0; i < statuses.length; i++) {
            report.setStatus(i, statuses[i]);
            report.setDelta(i, statuses[i] == TwccReport.LARGE_DELTA ? 300 : statuses[i]);
        }
    }

    private String chunks(int count) {
        writer.begin(out, 0, (int) out.byteSize());
        assertTrue(writer.transportFeedback(1, 2, report));
        writer.finish();
        reparsed();
        return hex(out, 20, 2 * count);
    }

    private void assertStatuses(String hexBytes, String expected) {
        byte[] b = hex(hexBytes);
        compound.wrap(segment(b), 0, b.length);
        assertTrue(compound.next(), () -> "dropped: " + compound.lastDropReason());
        TwccReport r = compound.transportFeedback().report();
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < r.packetCount(); i++) {
            s.append(i == 0 ? "" : " ").append(r.received(i) ? Integer.toString(r.deltaTicks(i)) : "-");
        }
        assertEquals(expected, s.toString());
    }
}
