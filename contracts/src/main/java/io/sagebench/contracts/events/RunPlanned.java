package io.sagebench.contracts.events;

import io.sagebench.contracts.EventType;

import java.math.BigDecimal;
import java.util.Map;

/**
 * One run of an accepted design with every derived value, so the launcher needs nothing else to start it. Wide
 * because the schema is: its flat properties stay flat here, and only model, dataset, cluster and quote nest.
 */
public record RunPlanned(
        String runId,
        String designId,
        String submittedBy,
        String cellId,
        int sequence,
        int replicate,
        Model model,
        Dataset dataset,
        PlannedCluster cluster,
        int perDeviceBatchSize,
        int globalBatchSize,
        double learningRate,
        long steps,
        double epochs,
        long samplesSeen,
        int volumeSizeGb,
        int maxRuntimeSeconds,
        boolean spot,
        Long maxWaitSeconds,
        String region,
        Map<String, String> hyperparameters,
        Quote quote) implements Event {

    @Override
    public EventType type() {
        return EventType.RunPlanned;
    }

    /** The dataset and this run's size (in samples) of it. */
    public record Dataset(String hubId, long size, Double trainFraction, Long splitSeed) {
    }

    /** design-service's estimate for this run. */
    public record Quote(Double seconds, BigDecimal usd, BigDecimal hourlyPriceUsd, String priceBookVersion) {
    }
}
