package io.sagebench.results.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * The priced, final record of one run: what is stored and published as RunResult. Its times, metrics and
 * {@code billableSeconds} are the final attempt's; {@code costUsd} is what the whole run cost: the final attempt's
 * billable time priced, plus {@code failedAttemptsCostUsd}, the cost of every earlier (failed, relaunched) attempt, whose
 * billable time is {@code failedAttemptsBillableSeconds}. {@code attempts} counts the attempts charged (1 for a run
 * that needed no relaunch).
 */
public record RunRecord(
        String runId,
        String designId,
        String cellId,
        int sequence,
        int replicate,
        int attempt,
        String trainingJobName,
        String status,
        String failureReason,
        String instanceType,
        int instanceCount,
        int gpusPerInstance,
        int totalGpus,
        String distribution,
        int datasetSize,
        int perDeviceBatchSize,
        int globalBatchSize,
        double learningRate,
        int steps,
        double epochs,
        long trainingSeconds,
        long billableSeconds,
        Double startupSeconds,
        Double trainingPhaseSeconds,
        Double uploadSeconds,
        Double samplesPerSecond,
        Double spotSavingsPercent,
        BigDecimal hourlyPriceUsd,
        String priceBookVersion,
        BigDecimal costUsd,
        Double f1,
        Map<String, Double> metrics,
        Instant finishedAt,
        int attempts,
        long failedAttemptsBillableSeconds,
        BigDecimal failedAttemptsCostUsd) {

    /** A run that took one attempt. */
    public RunRecord(String runId, String designId, String cellId, int sequence, int replicate, int attempt,
                     String trainingJobName, String status, String failureReason, String instanceType,
                     int instanceCount, int gpusPerInstance, int totalGpus, String distribution, int datasetSize,
                     int perDeviceBatchSize, int globalBatchSize, double learningRate, int steps, double epochs,
                     long trainingSeconds, long billableSeconds, Double startupSeconds, Double trainingPhaseSeconds,
                     Double uploadSeconds, Double samplesPerSecond, Double spotSavingsPercent, BigDecimal hourlyPriceUsd,
                     String priceBookVersion, BigDecimal costUsd, Double f1, Map<String, Double> metrics,
                     Instant finishedAt) {
        this(runId, designId, cellId, sequence, replicate, attempt, trainingJobName, status, failureReason, instanceType,
                instanceCount, gpusPerInstance, totalGpus, distribution, datasetSize, perDeviceBatchSize,
                globalBatchSize, learningRate, steps, epochs, trainingSeconds, billableSeconds, startupSeconds,
                trainingPhaseSeconds, uploadSeconds, samplesPerSecond, spotSavingsPercent, hourlyPriceUsd,
                priceBookVersion, costUsd, f1, metrics, finishedAt, 1, 0L, BigDecimal.ZERO);
    }

    /** This record (its final attempt's) with the earlier attempts charged to it. */
    public RunRecord chargingEarlierAttempts(Collection<AttemptCost> earlier) {
        long failedBillable = 0;
        BigDecimal failedCost = BigDecimal.ZERO;
        for (AttemptCost a : earlier) {
            if (a.attempt() >= attempt) {
                throw new IllegalArgumentException("attempt " + a.attempt() + " of " + runId
                        + " is not earlier than the final attempt " + attempt);
            }
            failedBillable += a.billableSeconds();
            failedCost = failedCost.add(a.costUsd());
        }
        BigDecimal ownCost = costUsd.subtract(failedAttemptsCostUsd);
        return new RunRecord(runId, designId, cellId, sequence, replicate, attempt, trainingJobName, status,
                failureReason, instanceType, instanceCount, gpusPerInstance, totalGpus, distribution, datasetSize,
                perDeviceBatchSize, globalBatchSize, learningRate, steps, epochs, trainingSeconds, billableSeconds,
                startupSeconds, trainingPhaseSeconds, uploadSeconds, samplesPerSecond, spotSavingsPercent,
                hourlyPriceUsd, priceBookVersion, ownCost.add(failedCost).stripTrailingZeros(), f1, metrics, finishedAt,
                earlier.size() + 1, failedBillable, failedCost.stripTrailingZeros());
    }
}
