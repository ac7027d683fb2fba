package io.sagebench.design.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.sagebench.contracts.ids.Ids;
import io.sagebench.design.domain.Design;
import io.sagebench.design.domain.ValidationError;

/**
 * Reads a DesignSubmitted JSON tree into a {@link Design}, collecting every structural problem with its JSON path
 * instead of stopping at the first. Unknown fields are ignored (tolerant reader).
 */
public final class DesignParser {

    static final Pattern REGION = Pattern.compile("^[a-z]{2}(-[a-z]+)+-[0-9]$");

    public static final double DEFAULT_TRAIN_FRACTION = 0.9;
    public static final long DEFAULT_SPLIT_SEED = 42;

    /**
     * The design (null when anything is wrong), every cluster that could be read (so catalog checks still run and
     * report alongside structural errors), and the errors.
     */
    public record Result(Design design, List<Design.Cluster> readableClusters, List<ValidationError> errors) {
        public boolean valid() {
            return errors.isEmpty();
        }
    }

    private final String defaultRegion;
    private final DesignFields f = new DesignFields();
    private final GridParser grid = new GridParser(f);

    private DesignParser(String defaultRegion) {
        this.defaultRegion = defaultRegion;
    }

    public static Result parse(JsonNode root, String defaultRegion) {
        return new DesignParser(defaultRegion).read(root);
    }

    private Result read(JsonNode root) {
        if (root == null || !root.isObject()) {
            f.errors().add(new ValidationError("$", "a design must be a JSON object"));
            return new Result(null, List.of(), List.copyOf(f.errors()));
        }
        String designId = f.optionalString(root, "designId", "$.designId");
        if (designId != null && !Ids.isDesignId(designId)) {
            f.error("$.designId", "must be lower-case letters, digits and single hyphens, at most 32 characters");
        }
        String name = f.optionalString(root, "name", "$.name");
        if (name != null && name.length() > 200) {
            f.error("$.name", "must be at most 200 characters");
        }
        String submittedBy = f.optionalString(root, "submittedBy", "$.submittedBy");

        Design.Model model = readModel(root.get("model"));
        Design.Dataset dataset = readDataset(root.get("dataset"));

        JsonNode cellsNode = root.get("cells");
        List<Design.Cell> cells = grid.readCells(cellsNode);
        boolean factorial = f.optionalBoolean(root, "factorial", "$.factorial", false);
        boolean expandsFactorial = cells.isEmpty() || factorial;

        List<Design.Cluster> clusters = new ArrayList<>();
        JsonNode clustersNode = root.get("clusters");
        if (DesignFields.isMissing(clustersNode)) {
            if (expandsFactorial) {
                f.error("$.clusters", "is required (at least one cluster), unless the design lists explicit cells");
            }
        } else if (!clustersNode.isArray()) {
            f.error("$.clusters", "must be an array of clusters");
        } else if (clustersNode.isEmpty()) {
            f.error("$.clusters", "must not be empty");
        } else {
            for (int i = 0; i < clustersNode.size(); i++) {
                Design.Cluster c = grid.readCluster(clustersNode.get(i), "$.clusters[" + i + "]");
                if (c != null) {
                    clusters.add(c);
                }
            }
        }

        boolean cellsNeedBatch = cells.stream().anyMatch(c -> c.perDeviceBatchSize() == null);
        boolean cellsNeedRate = cells.stream().anyMatch(c -> c.learningRate() == null);
        List<Design.Valued<Integer>> batches = f.readPositiveIntList(root.get("perDeviceBatchSizes"),
                "$.perDeviceBatchSizes", expandsFactorial || cellsNeedBatch);
        List<Design.Valued<Double>> rates = f.readPositiveNumberList(root.get("learningRates"), "$.learningRates",
                expandsFactorial || cellsNeedRate);

        Design.LearningRateScaling scaling = grid.readScaling(root.get("learningRateScaling"));
        Design.Schedule schedule = grid.readSchedule(root.get("schedule"));

        int replicates = 1;
        JsonNode rep = root.get("replicates");
        if (!DesignFields.isMissing(rep)) {
            if (!rep.canConvertToInt() || !rep.isIntegralNumber() || rep.asInt() < 1 || rep.asInt() > 100) {
                f.error("$.replicates", "must be an integer from 1 to 100");
            } else {
                replicates = rep.asInt();
            }
        }
        Long randomSeed = null;
        JsonNode seed = root.get("randomSeed");
        if (!DesignFields.isMissing(seed)) {
            if (!seed.isIntegralNumber() || !seed.canConvertToLong()) {
                f.error("$.randomSeed", "must be an integer");
            } else {
                randomSeed = seed.asLong();
            }
        }
        boolean randomize = f.optionalBoolean(root, "randomize", "$.randomize", true);
        boolean spot = f.optionalBoolean(root, "spot", "$.spot", false);
        String region = f.optionalString(root, "region", "$.region");
        if (region == null) {
            region = defaultRegion;
        } else if (!REGION.matcher(region).matches()) {
            f.error("$.region", "must be an AWS region such as us-east-1");
        }
        double budget = 0;
        JsonNode budgetNode = root.get("budgetUsd");
        if (DesignFields.isMissing(budgetNode)) {
            f.error("$.budgetUsd", "is required: the most this design may cost, in USD");
        } else if (!budgetNode.isNumber()) {
            f.error("$.budgetUsd", "must be a number of USD");
        } else if (budgetNode.asDouble() < 0) {
            f.error("$.budgetUsd", "must not be negative");
        } else {
            budget = budgetNode.asDouble();
        }
        Map<String, String> hyperparameters = readHyperparameters(root.get("hyperparameters"));
        boolean rerun = f.optionalBoolean(root, "rerun", "$.rerun", false);

        if (!f.errors().isEmpty()) {
            return new Result(null, List.copyOf(grid.readableClusters()), List.copyOf(f.errors()));
        }
        Design design = new Design(designId, name, submittedBy, model, dataset, clusters, batches, rates, scaling,
                schedule, cells, factorial, replicates, randomSeed, randomize, spot, region, budget, hyperparameters, rerun);
        return new Result(design, List.copyOf(grid.readableClusters()), List.of());
    }

    private Design.Model readModel(JsonNode node) {
        if (DesignFields.isMissing(node)) {
            f.error("$.model", "is required");
            return null;
        }
        if (!node.isObject()) {
            f.error("$.model", "must be an object with hubId, parameters and sequenceLength");
            return null;
        }
        String hubId = f.requiredString(node, "hubId", "$.model.hubId");
        Long parameters = f.requiredPositiveLong(node, "parameters", "$.model.parameters",
                "is required to quote time and cost: the model's trainable parameter count");
        Long seqLen = f.requiredPositiveLong(node, "sequenceLength", "$.model.sequenceLength",
                "is required: the tokenizer's padded sequence length");
        if (seqLen != null && seqLen > 65536) {
            f.error("$.model.sequenceLength", "must be at most 65536");
            seqLen = null;
        }
        if (hubId == null || parameters == null || seqLen == null) {
            return null;
        }
        return new Design.Model(hubId, parameters, seqLen.intValue());
    }

    private Design.Dataset readDataset(JsonNode node) {
        if (DesignFields.isMissing(node)) {
            f.error("$.dataset", "is required");
            return null;
        }
        if (!node.isObject()) {
            f.error("$.dataset", "must be an object with hubId and sizes");
            return null;
        }
        String hubId = f.requiredString(node, "hubId", "$.dataset.hubId");
        List<Design.Valued<Long>> sizes = new ArrayList<>();
        JsonNode sizesNode = node.get("sizes");
        if (DesignFields.isMissing(sizesNode)) {
            f.error("$.dataset.sizes", "is required (at least one dataset size)");
        } else if (!sizesNode.isArray()) {
            f.error("$.dataset.sizes", "must be an array of sample counts");
        } else if (sizesNode.isEmpty()) {
            f.error("$.dataset.sizes", "must not be empty");
        } else {
            for (int i = 0; i < sizesNode.size(); i++) {
                String path = "$.dataset.sizes[" + i + "]";
                Long size = f.positiveLong(sizesNode.get(i), path);
                if (size != null) {
                    sizes.add(new Design.Valued<>(path, size));
                }
            }
        }
        double trainFraction = DEFAULT_TRAIN_FRACTION;
        JsonNode tf = node.get("trainFraction");
        if (!DesignFields.isMissing(tf)) {
            if (!tf.isNumber() || tf.asDouble() <= 0 || tf.asDouble() > 1) {
                f.error("$.dataset.trainFraction", "must be a number greater than 0 and at most 1");
            } else {
                trainFraction = tf.asDouble();
            }
        }
        long splitSeed = DEFAULT_SPLIT_SEED;
        JsonNode ss = node.get("splitSeed");
        if (!DesignFields.isMissing(ss)) {
            if (!ss.isIntegralNumber() || !ss.canConvertToLong()) {
                f.error("$.dataset.splitSeed", "must be an integer");
            } else {
                splitSeed = ss.asLong();
            }
        }
        return hubId == null ? null : new Design.Dataset(hubId, sizes, trainFraction, splitSeed);
    }


    private Map<String, String> readHyperparameters(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (DesignFields.isMissing(node)) {
            return out;
        }
        if (!node.isObject()) {
            f.error("$.hyperparameters", "must be an object of name → value");
            return out;
        }
        node.fields().forEachRemaining(e -> {
            // SageMaker hyperparameters are strings on the wire; numbers and booleans are accepted and stringified.
            if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                out.put(e.getKey(), e.getValue().asText());
            } else {
                f.error("$.hyperparameters." + e.getKey(), "must be a string, number or boolean");
            }
        });
        return out;
    }
}
