package io.sagebench.contracts.events;

import io.sagebench.contracts.EventType;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * The priced, final record of one run. Flat and wide because the schema is; the times, {@code billableSeconds} and
 * metrics are the final attempt's, {@code costUsd} includes {@code failedAttemptsCostUsd}.
 */
public record RunResult(
        String runId,
        String designId,
        String cellId,
        Integer replicate,
        Integer attempt,
        String trainingJobName,
        JobOutcome status,
        String failureReason,
        PlannedCluster cluster,
        long datasetSize,
        Integer perDeviceBatchSize,
        int globalBatchSize,
        double learningRate,
        Long steps,
        Double epochs,
        Long trainingSeconds,
        long billableSeconds,
        Double startupSeconds,
        Double samplesPerSecond,
        BigDecimal hourlyPriceUsd,
        String priceBookVersion,
        BigDecimal costUsd,
        Integer attempts,
        Long failedAttemptsBillableSeconds,
        BigDecimal failedAttemptsCostUsd,
        Double f1,
        Map<String, Double> metrics,
        Instant finishedAt) implements Event {

    @Override
    public EventType type() {
        return EventType.RunResult;
    }
}
