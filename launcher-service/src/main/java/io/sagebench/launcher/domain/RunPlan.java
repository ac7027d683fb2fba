package io.sagebench.launcher.domain;

import java.util.Map;

/**
 * The launcher's own view of a RunPlanned event: only the fields it needs to build and admit a training job.
 * Built by {@link RunPlanReader}, which checks every field and reports all problems at once.
 */
public record RunPlan(
        String runId,
        String designId,
        String cellId,
        int replicate,
        String modelHubId,
        Integer sequenceLength,
        String datasetHubId,
        long datasetSize,
        Double trainFraction,
        Integer splitSeed,
        String instanceType,
        int instanceCount,
        Distribution distribution,
        int perDeviceBatchSize,
        double learningRate,
        long steps,
        double epochs,
        int volumeSizeGb,
        int maxRuntimeSeconds,
        boolean spot,
        Integer maxWaitSeconds,
        String region,
        Map<String, String> hyperparameters) {

    public RunPlan {
        hyperparameters = hyperparameters == null ? Map.of() : Map.copyOf(hyperparameters);
    }
}
