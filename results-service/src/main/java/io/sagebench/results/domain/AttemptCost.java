package io.sagebench.results.domain;

import java.math.BigDecimal;
import java.time.Instant;

/** One ended attempt of a run, priced like a run: billable / 3600 × hourly price × instance count. */
public record AttemptCost(String trainingJobName, int attempt, String status, String failureReason,
                          long trainingSeconds, long billableSeconds, BigDecimal hourlyPriceUsd,
                          String priceBookVersion, BigDecimal costUsd, Instant endedAt) {

    /** The attempt's share of a record computed for its own job. */
    public static AttemptCost of(RunRecord attemptRecord) {
        return new AttemptCost(attemptRecord.trainingJobName(), attemptRecord.attempt(), attemptRecord.status(),
                attemptRecord.failureReason(), attemptRecord.trainingSeconds(), attemptRecord.billableSeconds(),
                attemptRecord.hourlyPriceUsd(), attemptRecord.priceBookVersion(), attemptRecord.costUsd(),
                attemptRecord.finishedAt());
    }
}
