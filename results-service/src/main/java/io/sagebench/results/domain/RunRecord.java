package io.sagebench.results.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/** The priced, final record of one run: what is stored and published as RunResult. */
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
        Instant finishedAt) {
}
