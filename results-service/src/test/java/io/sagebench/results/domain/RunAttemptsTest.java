package io.sagebench.results.domain;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A run's attempts: which one ends it, and what the run is charged. Hand-computed. */
class RunAttemptsTest {

    private static RunRecord finalAttempt(int attempt, long billable, String cost) {
        return new RunRecord("d-1-r001", "d-1", "0123456789ab", 1, 1, attempt, "bench-d-1-r001-a" + attempt,
                "Completed", null, "ml.p3.16xlarge", 2, 8, 16, "smdistributed", 1000, 32, 512, 5e-5, 20, 1.0, billable,
                billable, 100.0, 1000.0, 10.0, 2700.0, null, new BigDecimal("28.152"), "2021-study",
                new BigDecimal(cost), 0.95, Map.of(), Instant.parse("2026-01-01T00:00:00Z"));
    }

    private static AttemptCost failed(int attempt, long billable) {
        return new AttemptCost("bench-d-1-r001-a" + attempt, attempt, "Failed", "CapacityError: no capacity", 0,
                billable, new BigDecimal("28.152"), "2021-study", Pricing.cost(billable, new BigDecimal("28.152"), 2),
                Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void completedAndStoppedAreAlwaysFinalAndFailedWaitsForTheLauncher() {
        assertEquals(AttemptVerdict.FINAL, AttemptVerdict.of("Completed", null));
        assertEquals(AttemptVerdict.FINAL, AttemptVerdict.of("Stopped", null));
        assertEquals(AttemptVerdict.FINAL, AttemptVerdict.of("Stopped", true));
        assertEquals(AttemptVerdict.UNDECIDED, AttemptVerdict.of("Failed", null));
        assertEquals(AttemptVerdict.RELAUNCHED, AttemptVerdict.of("Failed", true));
        assertEquals(AttemptVerdict.FINAL, AttemptVerdict.of("Failed", false));
    }

    @Test
    void aSingleAttemptRunCostsItsOwnBillableTime() {
        // 1800 s × 28.152 $/h × 2 instances / 3600 = 28.152 $
        RunRecord r = finalAttempt(1, 1800, "28.152").chargingEarlierAttempts(List.of());
        assertEquals(1, r.attempts());
        assertEquals(0, r.failedAttemptsBillableSeconds());
        assertEquals(0, r.failedAttemptsCostUsd().compareTo(BigDecimal.ZERO));
        assertEquals(0, r.costUsd().compareTo(new BigDecimal("28.152")));
    }

    @Test
    void earlierFailedAttemptsAreAddedToTheFinalAttemptsCost() {
        // attempt 1: 900 s → 900 × 28.152 × 2 / 3600 = 14.076; attempt 2: 360 s → 5.6304; attempt 3 final: 28.152
        RunRecord r = finalAttempt(3, 1800, "28.152").chargingEarlierAttempts(List.of(failed(1, 900), failed(2, 360)));
        assertEquals(3, r.attempts());
        assertEquals(1800, r.billableSeconds());
        assertEquals(1260, r.failedAttemptsBillableSeconds());
        assertEquals(0, r.failedAttemptsCostUsd().compareTo(new BigDecimal("19.7064")));
        assertEquals(0, r.costUsd().compareTo(new BigDecimal("47.8584")));
        // Charging again (a recomputation) does not count the earlier attempts twice.
        RunRecord again = r.chargingEarlierAttempts(List.of(failed(1, 900), failed(2, 360)));
        assertEquals(0, again.costUsd().compareTo(new BigDecimal("47.8584")));
    }

    @Test
    void anUnbilledFailedAttemptStillCountsAsAnAttempt() {
        RunRecord r = finalAttempt(2, 1800, "28.152").chargingEarlierAttempts(List.of(failed(1, 0)));
        assertEquals(2, r.attempts());
        assertEquals(0, r.costUsd().compareTo(new BigDecimal("28.152")));
    }

    @Test
    void onlyEarlierAttemptsCanBeCharged() {
        assertThrows(IllegalArgumentException.class,
                () -> finalAttempt(1, 1800, "28.152").chargingEarlierAttempts(List.of(failed(1, 900))));
    }

    @Test
    void theDesignSummaryCountsWhatWasPaidFor() {
        RunRecord r = finalAttempt(2, 1800, "28.152").chargingEarlierAttempts(List.of(failed(1, 900)));
        Progress p = new Progress("d-1", 1, 1, 0, 1, 0, 1, 1, 0, 0, 0, true, 0);
        DesignSummary s = DesignSummary.of(p, List.of(r), Instant.parse("2026-01-01T00:00:00Z"));
        assertEquals(2700, s.totalBillableSeconds());
        assertEquals(0, s.totalCostUsd().compareTo(new BigDecimal("42.228")));
    }
}
