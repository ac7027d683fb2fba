package io.sagebench.design.domain;

import java.util.List;
import java.util.Map;

/**
 * A parsed, structurally valid DesignSubmitted with defaults applied. Every list element keeps the JSON path it came
 * from so later (semantic) checks can point at it.
 */
public record Design(
        String designId,
        String name,
        String submittedBy,
        Model model,
        Dataset dataset,
        List<Cluster> clusters,
        List<Valued<Integer>> perDeviceBatchSizes,
        List<Valued<Double>> learningRates,
        LearningRateScaling learningRateScaling,
        Schedule schedule,
        List<Cell> cells,
        boolean factorial,
        int replicates,
        Long randomSeed,
        boolean randomize,
        boolean spot,
        String region,
        double budgetUsd,
        Map<String, String> hyperparameters,
        boolean rerun) {

    public record Model(String hubId, long parameters, int sequenceLength) {
    }

    public record Dataset(String hubId, List<Valued<Long>> sizes, double trainFraction, long splitSeed) {
    }

    /** A cluster as written; distribution may be null (resolved later from the catalog). */
    public record Cluster(String path, String instanceType, int instanceCount, String distribution) {
    }

    /** An explicit cell; batch and learning rate are null when the design's first list value applies. */
    public record Cell(String path, Cluster cluster, Valued<Long> datasetSize, Valued<Integer> perDeviceBatchSize,
                       Valued<Double> learningRate) {
    }

    public record LearningRateScaling(String rule, int baseGlobalBatch) {
    }

    /** Exactly one of samplesSeen or epochs is set. */
    public record Schedule(Long samplesSeen, Double epochs) {
    }

    /** A value and the JSON path it was read from. */
    public record Valued<T>(String path, T value) {
    }

    /** Whether the full factorial of the lists is expanded (see README: cells alone unless factorial is true). */
    public boolean expandsFactorial() {
        return cells.isEmpty() || factorial;
    }
}
