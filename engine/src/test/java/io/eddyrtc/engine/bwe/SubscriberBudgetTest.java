package io.eddyrtc.engine.bwe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A subscriber's estimate shared among its tracks: audio's allowance first, video equally, and what it asks for. */
class SubscriberBudgetTest {

    @Test
    void audioKeepsItsAllowanceAndVideoSharesTheRest() {
        SubscriberBudget budget = new SubscriberBudget(300_000);
        assertEquals(250_000, budget.videoShare(1, 1), "the initial estimate, less one audio track");
        budget.setEstimate(1_100_000);
        assertEquals(500_000, budget.videoShare(2, 2));
        budget.setEstimate(80_000);
        assertEquals(0, budget.videoShare(2, 1), "never below nothing");
    }

    @Test
    void itAsksForWhatItsVideoWantsWithItsAudioAndNeverLessThanItStartedWith() {
        SubscriberBudget budget = new SubscriberBudget(300_000);
        assertEquals(1_050_000, budget.desired(1_000_000, 1));
        assertEquals(300_000, budget.desired(0, 1), "nothing arrives yet: the initial estimate");
    }

    @Test
    void itSaysItIsSentWhatItsLayersAndItsAudioTake() {
        SubscriberBudget budget = new SubscriberBudget(300_000);
        assertEquals(180_000, budget.current(130_000, 1));
        assertEquals(0, budget.current(0, 0), "nothing forwarded yet");
    }

    @Test
    void theDesiredRateIsDueOnceASecond() {
        SubscriberBudget budget = new SubscriberBudget(300_000);
        long second = 1_000_000_000L;
        assertTrue(budget.desiredDue(5 * second));
        assertFalse(budget.desiredDue(5 * second + second / 2));
        assertTrue(budget.desiredDue(6 * second));
    }
}
