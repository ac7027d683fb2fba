package io.sagebench.launcher.domain;

import java.util.Map;

/**
 * The launcher's own view of a RunPlanned event: only the fields it needs to build and admit a training job.
 * Built by {@link RunPlanReader}, which checks every field and reports all problems at once.
 *
 * @param submittedBy    the designer whose daily ceiling the run counts against ({@link #UNKNOWN_SUBMITTER} if absent)
 * @param quotedUsd      RunPlanned.quote.usd, the design-service's quote of one attempt; null if absent
 * @param requestedImage a training image the event names ({@code trainingImage} / {@code image}); never used, only
 *                       checked against the allowlist, since the image is the launcher's choice
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
        Map<String, String> hyperparameters,
        String submittedBy,
        Double quotedUsd,
        String requestedImage) {

    /** Whose daily ceiling a run without {@code submittedBy} counts against. */
    public static final String UNKNOWN_SUBMITTER = "unknown";

    public RunPlan {
        hyperparameters = hyperparameters == null ? Map.of() : Map.copyOf(hyperparameters);
        submittedBy = submittedBy == null || submittedBy.isBlank() ? UNKNOWN_SUBMITTER : submittedBy;
    }
}
