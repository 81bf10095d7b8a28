package io.eddyrtc.engine.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** One forwarded stream's numbers across layer switches and left-out packets. */
class ForwardedNumberingTest {
    private static final long MS = 1_000_000L;

    @Test
    void numbersStayContiguousAcrossASwitchAndTimestampsMoveOnByTheTimePassed() {
        ForwardedNumbering n = new ForwardedNumbering();
        long t = 1_000 * MS;
        n.forward(t, 0, 70_000, 5_000_000, 90_000);
        assertEquals(70_000 & 0xFFFF, n.sequence());
        assertEquals(5_000_000, n.timestamp());
        n.forward(t + 33 * MS, 0, 70_001, 5_003_000, 90_000);
        n.forward(t + 66 * MS, 2, 400, 123_456, 90_000); // another layer: its own numbering and clock origin
        assertEquals((70_002) & 0xFFFF, n.sequence());
        assertEquals(5_003_000 + 33 * 90, n.timestamp());
        n.forward(t + 99 * MS, 2, 401, 123_456 + 3_000, 90_000);
        assertEquals((70_003) & 0xFFFF, n.sequence());
        assertEquals(5_003_000 + 33 * 90 + 3_000, n.timestamp());
    }

    /**
     * A switch right after the first packet forwarded (a one-packet keyframe of the lowest layer, and only
     * left-out packets of a higher temporal layer after it) follows on from that packet: numbers restarted from
     * 0 would run thousands behind the first, and the subscriber's {@code Rtc} would refuse every packet as an
     * SRTP index it has used, until they caught up.
     */
    @Test
    void aSwitchRightAfterTheFirstPacketFollowsOnFromIt() {
        ForwardedNumbering n = new ForwardedNumbering();
        long t = 1_000 * MS;
        n.forward(t, 0, 70_000, 5_000_000, 90_000);
        n.drop(0, 70_001);
        n.forward(t + 66 * MS, 1, 400, 123_456, 90_000);
        assertEquals(70_001 & 0xFFFF, n.sequence());
        assertEquals(5_000_000 + 66 * 90, n.timestamp());
        n.forward(t + 99 * MS, 2, 9_000, 777, 90_000); // and a switch right after that one too
        assertEquals(70_002 & 0xFFFF, n.sequence());
        assertEquals(5_000_000 + 99 * 90, n.timestamp());
    }

    @Test
    void leftOutPacketsLeaveNoGap() {
        ForwardedNumbering n = new ForwardedNumbering();
        long t = 1_000 * MS;
        n.forward(t, 0, 10, 0, 90_000);
        n.drop(0, 11);
        n.drop(0, 12);
        n.forward(t, 0, 13, 0, 90_000);
        assertEquals(11, n.sequence());
        n.forward(t, 0, 12, 0, 90_000); // a late packet before one left out keeps its place
        assertEquals(10, n.sequence());
    }

    @Test
    void aNewSourceOnTheSameLayerContinuesTheNumbering() {
        ForwardedNumbering n = new ForwardedNumbering();
        long t = 1_000 * MS;
        n.forward(t, 0, 500, 90_000, 90_000);
        n.forward(t + 20 * MS, 0, 501, 90_000 + 1_800, 90_000);
        n.sourceChanged(); // another publisher: layer 0 again, with numbers of its own
        n.forward(t + 40 * MS, 0, 31_000, 7_000_000, 90_000);
        assertEquals(502, n.sequence());
        assertEquals(90_000 + 1_800 + 20 * 90, n.timestamp());
        n.forward(t + 60 * MS, 0, 31_001, 7_000_000 + 1_800, 90_000);
        assertEquals(503, n.sequence());
    }
}
