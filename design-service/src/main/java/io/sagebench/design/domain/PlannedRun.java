package io.sagebench.design.domain;

import java.util.Map;

/** One run of a design with every derived value: exactly what RunPlanned carries. */
public record PlannedRun(
        String runId,
        String designId,
        String cellId,
        int sequence,
        int replicate,
        Design.Model model,
        String datasetHubId,
        long datasetSize,
        double trainFraction,
        long splitSeed,
        String instanceType,
        int instanceCount,
        int gpusPerInstance,
        int totalGpus,
        String distribution,
        int perDeviceBatchSize,
        int globalBatchSize,
        double learningRate,
        long steps,
        double epochs,
        long samplesSeen,
        int volumeSizeGb,
        int maxRuntimeSeconds,
        boolean spot,
        Integer maxWaitSeconds,
        String region,
        Map<String, String> hyperparameters,
        RunQuote quote) {

    /** Estimated training time and on-demand cost of one run. */
    public record RunQuote(long seconds, double usd, double hourlyPriceUsd, String priceBookVersion) {
    }
}
