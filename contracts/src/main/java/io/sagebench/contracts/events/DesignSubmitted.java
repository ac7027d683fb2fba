package io.sagebench.contracts.events;

import com.fasterxml.jackson.annotation.JsonValue;
import io.sagebench.contracts.EventType;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * A user's benchmark design: a grid to expand into runs. User input, so everything but the model, the dataset and
 * the budget may be absent; design-service applies the defaults and the rules the schema cannot express.
 */
public record DesignSubmitted(
        String designId,
        String name,
        String submittedBy,
        Model model,
        Dataset dataset,
        List<Cluster> clusters,
        List<Integer> perDeviceBatchSizes,
        List<Double> learningRates,
        LearningRateScaling learningRateScaling,
        Schedule schedule,
        List<Cell> cells,
        Integer replicates,
        Long randomSeed,
        Boolean spot,
        String region,
        BigDecimal budgetUsd,
        Map<String, String> hyperparameters,
        Boolean factorial,
        Boolean randomize,
        Boolean rerun) implements Event {

    @Override
    public EventType type() {
        return EventType.DesignSubmitted;
    }

    /** The dataset and the sizes (in samples) to try. */
    public record Dataset(String hubId, List<Long> sizes, Double trainFraction, Long splitSeed) {
    }

    public record LearningRateScaling(Rule rule, Integer baseGlobalBatch) {

        public enum Rule {
            NONE("none"),
            LINEAR("linear"),
            SQRT("sqrt");

            private final String wire;

            Rule(String wire) {
                this.wire = wire;
            }

            @JsonValue
            public String wire() {
                return wire;
            }
        }
    }

    /** How long every run trains: exactly one of the two (design-service checks which). */
    public record Schedule(Long samplesSeen, Double epochs) {
    }

    /** One explicit cell of the grid; written twice, it adds a replicate. */
    public record Cell(Cluster cluster, long datasetSize, Integer perDeviceBatchSize, Double learningRate) {
    }
}
