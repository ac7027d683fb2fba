package io.sagebench.results.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;

/** What DesignCompleted reports: outcome counts, total cost and billable time of all runs, runs reused. */
public record DesignSummary(String designId, int runCount, int succeeded, int failed, int stopped, int cancelled,
                            BigDecimal totalCostUsd, long totalBillableSeconds, Instant completedAt, int reusedRuns) {

    public static DesignSummary of(Progress progress, Collection<RunRecord> results, Instant completedAt) {
        BigDecimal cost = BigDecimal.ZERO;
        long billable = 0;
        for (RunRecord r : results) {
            cost = cost.add(r.costUsd());
            billable += r.billableSeconds() + r.failedAttemptsBillableSeconds(); // what was paid for, like the cost
        }
        return new DesignSummary(progress.designId(), progress.total(), progress.succeeded(), progress.failed(),
                progress.stopped(), progress.cancelled(), cost.stripTrailingZeros(), billable, completedAt,
                progress.reused());
    }
}
