package io.eddyrtc.buffers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MemoryBudgetTest {

    @Test
    void chargesUpToTheLimitAndRefusesBeyondItCountingEachRefusal() {
        MemoryBudget budget = MemoryBudget.of(10_000);
        assertTrue(budget.tryCharge(6_000));
        assertTrue(budget.tryCharge(4_000));
        assertFalse(budget.tryCharge(1), "the limit is reached");
        assertEquals(10_000, budget.inUse(), "a refused charge takes nothing");
        assertEquals(1, budget.refusals());
        budget.release(6_000);
        assertTrue(budget.tryCharge(5_000));
        assertEquals(9_000, budget.inUse());
        assertEquals(10_000, budget.peak());
    }

    @Test
    void releasingMoreThanWasChargedIsMisuse() {
        MemoryBudget budget = MemoryBudget.of(100);
        budget.tryCharge(40);
        assertThrows(IllegalStateException.class, () -> budget.release(41));
        assertThrows(IllegalArgumentException.class, () -> budget.tryCharge(-1));
        assertThrows(IllegalArgumentException.class, () -> MemoryBudget.of(0));
    }

    @Test
    void anUnlimitedBudgetOnlyCounts() {
        MemoryBudget budget = MemoryBudget.unlimited();
        assertTrue(budget.tryCharge(Long.MAX_VALUE / 2));
        assertTrue(budget.tryCharge(Long.MAX_VALUE / 2));
        assertEquals(0, budget.refusals());
    }
}
