package io.eddyrtc.engine.bwe;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddyrtc.engine.rtcp.TwccReport;
import org.junit.jupiter.api.Test;

/** The receive side of transport-wide congestion control: long outages and reordering across a feedback. */
class TwccRecorderTest {
    /** After an outage longer than the ring (thousands of numbers lost) feedback resumes at once. */
    @Test
    void feedbackResumesAfterALongRunOfLostNumbers() {
        TwccRecorder r = new TwccRecorder(1200);
        long t = 1_000_000_000L;
        for (int s = 0; s < 10; s++) r.onPacket(t += 1_000_000, s, 1);
        assertNotNull(r.nextFeedback(t));
        for (int s = 5000; s < 5100; s++) r.onPacket(t += 1_000_000, s, 1); // 4990 numbers lost, then packets again
        assertNotEquals(Long.MAX_VALUE, r.dueAt(), "packets arrive again, so feedback is due again");
        assertNotNull(r.nextFeedback(t));
    }

    /** A packet reordered across a feedback is reported lost first, then, when it arrives, received. */
    @Test
    void aPacketReorderedAcrossTheFeedbackIsReportedWhenItArrives() {
        TwccRecorder r = new TwccRecorder(1200);
        long t = 1_000_000_000L;
        r.onPacket(t, 0, 1);
        r.onPacket(t + 1_000_000, 1, 1);
        r.onPacket(t + 2_000_000, 3, 1); // 2 is late by 2 ms
        TwccReport first = r.nextFeedback(t + 50_000_000);
        assertFalse(first.received(2));
        r.onPacket(t + 50_500_000, 2, 1);
        assertNotEquals(Long.MAX_VALUE, r.dueAt(), "2's late arrival is to be reported");
        TwccReport again = r.nextFeedback(t + 100_000_000);
        assertNotNull(again);
        assertEquals(2, again.baseSequence(), "the next feedback starts at the late number");
        assertTrue(again.received(0), "and reports it received");
    }

    /** The ring is made by the first packet, grows with what waits for a feedback, and goes when the numbers stop. */
    @Test
    void theRingFollowsTheTrafficAndAQuietPeerHoldsNone() {
        io.eddyrtc.buffers.MemoryBudget budget = io.eddyrtc.buffers.MemoryBudget.unlimited();
        TwccRecorder r = new TwccRecorder(1200, budget);
        assertEquals(0, r.bytesHeld(), "nothing before the first numbered packet");
        long t = 1_000_000_000L;
        r.onPacket(t, 0, 1);
        assertEquals(TwccRecorder.MIN_RING * 8L, r.bytesHeld());
        for (int s = 1; s < 300; s++) {
            r.onPacket(t += 100_000, s, 1); // 300 numbers within one 50 ms interval
        }
        assertEquals(512 * 8L, r.bytesHeld(), "grown to hold the 300 numbers waiting for feedback");
        assertEquals(r.bytesHeld(), budget.inUse());
        int described = 0;
        for (TwccReport f; (f = r.nextFeedback(t)) != null; ) {
            for (int i = 0; i < 300; i++) {
                if (f.received(i)) {
                    described++;
                }
            }
        }
        assertEquals(300, described, "every number reported received, none lost to the growing");
        r.trim(t + 500_000_000L);
        assertEquals(512 * 8L, r.bytesHeld(), "half a second quiet: kept");
        r.trim(t + 1_000_000_000L);
        assertEquals(0, r.bytesHeld(), "a second quiet and all reported: given back");
        assertEquals(0, budget.inUse());
        r.onPacket(t + 2_000_000_000L, 300, 1);
        assertNotNull(r.nextFeedback(t + 2_050_000_000L), "numbers arriving again are reported again");
    }

    @Test
    void withNoRoomForTheRingNothingIsRecordedAndNoFeedbackIsDue() {
        TwccRecorder r = new TwccRecorder(1200, io.eddyrtc.buffers.MemoryBudget.of(100));
        r.onPacket(1_000_000_000L, 0, 1);
        assertEquals(1, r.refused());
        assertEquals(Long.MAX_VALUE, r.dueAt());
    }
}
