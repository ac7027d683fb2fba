package io.sagebench.results.domain;

/** A run's configuration as planned by design-service (RunPlanned), as much as results-service needs. */
public record RunPlan(
        String runId,
        String designId,
        String cellId,
        int sequence,
        int replicate,
        String modelHubId,
        Long modelParameters,
        String datasetHubId,
        int datasetSize,
        String instanceType,
        int instanceCount,
        int gpusPerInstance,
        int totalGpus,
        String distribution,
        int perDeviceBatchSize,
        int globalBatchSize,
        double learningRate,
        int steps,
        double epochs,
        long samplesSeen,
        int volumeSizeGb,
        boolean spot,
        String region) {
}
