package io.sagebench.design.domain;

import com.fasterxml.jackson.databind.JsonNode;
import io.sagebench.contracts.ids.Ids;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a DesignSubmitted JSON tree into a {@link Design}, collecting every structural problem with its JSON path
 * instead of stopping at the first. Unknown fields are ignored (tolerant reader).
 */
public final class DesignParser {

    static final Pattern INSTANCE_TYPE = Pattern.compile("^ml\\.[a-z0-9]+\\.[a-z0-9]+$");
    static final Pattern REGION = Pattern.compile("^[a-z]{2}(-[a-z]+)+-[0-9]$");
    static final Set<String> DISTRIBUTIONS = Set.of("none", "smdistributed", "pytorch-ddp");
    static final Set<String> SCALING_RULES = Set.of("none", "linear", "sqrt");

    public static final double DEFAULT_TRAIN_FRACTION = 0.9;
    public static final long DEFAULT_SPLIT_SEED = 42;
    /** The seed's one-GPU global batch: learning rates are written for it unless the design says otherwise. */
    public static final int DEFAULT_BASE_GLOBAL_BATCH = 32;

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
    private final List<ValidationError> errors = new ArrayList<>();
    private final List<Design.Cluster> readableClusters = new ArrayList<>();

    private DesignParser(String defaultRegion) {
        this.defaultRegion = defaultRegion;
    }

    public static Result parse(JsonNode root, String defaultRegion) {
        return new DesignParser(defaultRegion).read(root);
    }

    private Result read(JsonNode root) {
        if (root == null || !root.isObject()) {
            errors.add(new ValidationError("$", "a design must be a JSON object"));
            return new Result(null, List.of(), errors);
        }
        String designId = optionalString(root, "designId", "$.designId");
        if (designId != null && !Ids.isDesignId(designId)) {
            error("$.designId", "must be lower-case letters, digits and single hyphens, at most 32 characters");
        }
        String name = optionalString(root, "name", "$.name");
        if (name != null && name.length() > 200) {
            error("$.name", "must be at most 200 characters");
        }
        String submittedBy = optionalString(root, "submittedBy", "$.submittedBy");

        Design.Model model = readModel(root.get("model"));
        Design.Dataset dataset = readDataset(root.get("dataset"));

        JsonNode cellsNode = root.get("cells");
        List<Design.Cell> cells = readCells(cellsNode);
        boolean factorial = optionalBoolean(root, "factorial", "$.factorial", false);
        boolean expandsFactorial = cells.isEmpty() || factorial;

        List<Design.Cluster> clusters = new ArrayList<>();
        JsonNode clustersNode = root.get("clusters");
        if (isMissing(clustersNode)) {
            if (expandsFactorial) {
                error("$.clusters", "is required (at least one cluster), unless the design lists explicit cells");
            }
        } else if (!clustersNode.isArray()) {
            error("$.clusters", "must be an array of clusters");
        } else if (clustersNode.isEmpty()) {
            error("$.clusters", "must not be empty");
        } else {
            for (int i = 0; i < clustersNode.size(); i++) {
                Design.Cluster c = readCluster(clustersNode.get(i), "$.clusters[" + i + "]");
                if (c != null) {
                    clusters.add(c);
                }
            }
        }

        boolean cellsNeedBatch = cells.stream().anyMatch(c -> c.perDeviceBatchSize() == null);
        boolean cellsNeedRate = cells.stream().anyMatch(c -> c.learningRate() == null);
        List<Design.Valued<Integer>> batches = readPositiveIntList(root.get("perDeviceBatchSizes"),
                "$.perDeviceBatchSizes", expandsFactorial || cellsNeedBatch);
        List<Design.Valued<Double>> rates = readPositiveNumberList(root.get("learningRates"), "$.learningRates",
                expandsFactorial || cellsNeedRate);

        Design.LearningRateScaling scaling = readScaling(root.get("learningRateScaling"));
        Design.Schedule schedule = readSchedule(root.get("schedule"));

        int replicates = 1;
        JsonNode rep = root.get("replicates");
        if (!isMissing(rep)) {
            if (!rep.canConvertToInt() || !rep.isIntegralNumber() || rep.asInt() < 1 || rep.asInt() > 100) {
                error("$.replicates", "must be an integer from 1 to 100");
            } else {
                replicates = rep.asInt();
            }
        }
        Long randomSeed = null;
        JsonNode seed = root.get("randomSeed");
        if (!isMissing(seed)) {
            if (!seed.isIntegralNumber() || !seed.canConvertToLong()) {
                error("$.randomSeed", "must be an integer");
            } else {
                randomSeed = seed.asLong();
            }
        }
        boolean randomize = optionalBoolean(root, "randomize", "$.randomize", true);
        boolean spot = optionalBoolean(root, "spot", "$.spot", false);
        String region = optionalString(root, "region", "$.region");
        if (region == null) {
            region = defaultRegion;
        } else if (!REGION.matcher(region).matches()) {
            error("$.region", "must be an AWS region such as us-east-1");
        }
        double budget = 0;
        JsonNode budgetNode = root.get("budgetUsd");
        if (isMissing(budgetNode)) {
            error("$.budgetUsd", "is required: the most this design may cost, in USD");
        } else if (!budgetNode.isNumber()) {
            error("$.budgetUsd", "must be a number of USD");
        } else if (budgetNode.asDouble() < 0) {
            error("$.budgetUsd", "must not be negative");
        } else {
            budget = budgetNode.asDouble();
        }
        Map<String, String> hyperparameters = readHyperparameters(root.get("hyperparameters"));
        boolean rerun = optionalBoolean(root, "rerun", "$.rerun", false);

        if (!errors.isEmpty()) {
            return new Result(null, List.copyOf(readableClusters), List.copyOf(errors));
        }
        Design design = new Design(designId, name, submittedBy, model, dataset, clusters, batches, rates, scaling,
                schedule, cells, factorial, replicates, randomSeed, randomize, spot, region, budget, hyperparameters, rerun);
        return new Result(design, List.copyOf(readableClusters), List.of());
    }

    private Design.Model readModel(JsonNode node) {
        if (isMissing(node)) {
            error("$.model", "is required");
            return null;
        }
        if (!node.isObject()) {
            error("$.model", "must be an object with hubId, parameters and sequenceLength");
            return null;
        }
        String hubId = requiredString(node, "hubId", "$.model.hubId");
        Long parameters = requiredPositiveLong(node, "parameters", "$.model.parameters",
                "is required to quote time and cost: the model's trainable parameter count");
        Long seqLen = requiredPositiveLong(node, "sequenceLength", "$.model.sequenceLength",
                "is required: the tokenizer's padded sequence length");
        if (seqLen != null && seqLen > 65536) {
            error("$.model.sequenceLength", "must be at most 65536");
            seqLen = null;
        }
        if (hubId == null || parameters == null || seqLen == null) {
            return null;
        }
        return new Design.Model(hubId, parameters, seqLen.intValue());
    }

    private Design.Dataset readDataset(JsonNode node) {
        if (isMissing(node)) {
            error("$.dataset", "is required");
            return null;
        }
        if (!node.isObject()) {
            error("$.dataset", "must be an object with hubId and sizes");
            return null;
        }
        String hubId = requiredString(node, "hubId", "$.dataset.hubId");
        List<Design.Valued<Long>> sizes = new ArrayList<>();
        JsonNode sizesNode = node.get("sizes");
        if (isMissing(sizesNode)) {
            error("$.dataset.sizes", "is required (at least one dataset size)");
        } else if (!sizesNode.isArray()) {
            error("$.dataset.sizes", "must be an array of sample counts");
        } else if (sizesNode.isEmpty()) {
            error("$.dataset.sizes", "must not be empty");
        } else {
            for (int i = 0; i < sizesNode.size(); i++) {
                String path = "$.dataset.sizes[" + i + "]";
                Long size = positiveLong(sizesNode.get(i), path);
                if (size != null) {
                    sizes.add(new Design.Valued<>(path, size));
                }
            }
        }
        double trainFraction = DEFAULT_TRAIN_FRACTION;
        JsonNode tf = node.get("trainFraction");
        if (!isMissing(tf)) {
            if (!tf.isNumber() || tf.asDouble() <= 0 || tf.asDouble() > 1) {
                error("$.dataset.trainFraction", "must be a number greater than 0 and at most 1");
            } else {
                trainFraction = tf.asDouble();
            }
        }
        long splitSeed = DEFAULT_SPLIT_SEED;
        JsonNode ss = node.get("splitSeed");
        if (!isMissing(ss)) {
            if (!ss.isIntegralNumber() || !ss.canConvertToLong()) {
                error("$.dataset.splitSeed", "must be an integer");
            } else {
                splitSeed = ss.asLong();
            }
        }
        return hubId == null ? null : new Design.Dataset(hubId, sizes, trainFraction, splitSeed);
    }

    private Design.Cluster readCluster(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            error(path, "must be an object with instanceType and instanceCount");
            return null;
        }
        String type = requiredString(node, "instanceType", path + ".instanceType");
        if (type != null && !INSTANCE_TYPE.matcher(type).matches()) {
            error(path + ".instanceType", "must look like ml.<family>.<size>, e.g. ml.p3.2xlarge");
            type = null;
        }
        Integer count = null;
        JsonNode countNode = node.get("instanceCount");
        if (isMissing(countNode)) {
            error(path + ".instanceCount", "is required");
        } else if (!countNode.isIntegralNumber() || countNode.asLong() < 1 || countNode.asLong() > 20) {
            error(path + ".instanceCount", "must be an integer from 1 to 20");
        } else {
            count = countNode.asInt();
        }
        String distribution = optionalString(node, "distribution", path + ".distribution");
        if (distribution != null && !DISTRIBUTIONS.contains(distribution)) {
            error(path + ".distribution", "must be one of none, smdistributed, pytorch-ddp");
            distribution = null;
        }
        if (type == null || count == null) {
            if (type != null) {
                // still check the type against the catalog, so its errors are listed with this one
                readableClusters.add(new Design.Cluster(path, type, 1, distribution));
            }
            return null;
        }
        Design.Cluster cluster = new Design.Cluster(path, type, count, distribution);
        readableClusters.add(cluster);
        return cluster;
    }

    private List<Design.Cell> readCells(JsonNode node) {
        List<Design.Cell> cells = new ArrayList<>();
        if (isMissing(node)) {
            return cells;
        }
        if (!node.isArray()) {
            error("$.cells", "must be an array of cells");
            return cells;
        }
        for (int i = 0; i < node.size(); i++) {
            String path = "$.cells[" + i + "]";
            JsonNode c = node.get(i);
            if (c == null || !c.isObject()) {
                error(path, "must be an object with cluster and datasetSize");
                continue;
            }
            Design.Cluster cluster = null;
            if (isMissing(c.get("cluster"))) {
                error(path + ".cluster", "is required");
            } else {
                cluster = readCluster(c.get("cluster"), path + ".cluster");
            }
            Long size = null;
            if (isMissing(c.get("datasetSize"))) {
                error(path + ".datasetSize", "is required");
            } else {
                size = positiveLong(c.get("datasetSize"), path + ".datasetSize");
            }
            Design.Valued<Integer> batch = null;
            if (!isMissing(c.get("perDeviceBatchSize"))) {
                Long b = positiveLong(c.get("perDeviceBatchSize"), path + ".perDeviceBatchSize");
                if (b != null) {
                    batch = new Design.Valued<>(path + ".perDeviceBatchSize", (int) Math.min(b, Integer.MAX_VALUE));
                }
            }
            Design.Valued<Double> rate = null;
            if (!isMissing(c.get("learningRate"))) {
                Double r = positiveNumber(c.get("learningRate"), path + ".learningRate");
                if (r != null) {
                    rate = new Design.Valued<>(path + ".learningRate", r);
                }
            }
            if (cluster != null && size != null) {
                cells.add(new Design.Cell(path, cluster, new Design.Valued<>(path + ".datasetSize", size), batch, rate));
            }
        }
        return cells;
    }

    private Design.LearningRateScaling readScaling(JsonNode node) {
        if (isMissing(node)) {
            return new Design.LearningRateScaling("none", DEFAULT_BASE_GLOBAL_BATCH);
        }
        if (!node.isObject()) {
            error("$.learningRateScaling", "must be an object with rule and baseGlobalBatch");
            return null;
        }
        String rule = optionalString(node, "rule", "$.learningRateScaling.rule");
        if (rule == null) {
            rule = "none";
        } else if (!SCALING_RULES.contains(rule)) {
            error("$.learningRateScaling.rule", "must be one of none, linear, sqrt");
        }
        int base = DEFAULT_BASE_GLOBAL_BATCH;
        if (!isMissing(node.get("baseGlobalBatch"))) {
            Long b = positiveLong(node.get("baseGlobalBatch"), "$.learningRateScaling.baseGlobalBatch");
            if (b != null) {
                base = (int) Math.min(b, Integer.MAX_VALUE);
            }
        }
        return new Design.LearningRateScaling(rule, base);
    }

    private Design.Schedule readSchedule(JsonNode node) {
        if (isMissing(node)) {
            error("$.schedule", "is required: give either samplesSeen (every run sees the same samples) or epochs");
            return null;
        }
        if (!node.isObject()) {
            error("$.schedule", "must be an object with samplesSeen or epochs");
            return null;
        }
        boolean hasSamples = !isMissing(node.get("samplesSeen"));
        boolean hasEpochs = !isMissing(node.get("epochs"));
        if (hasSamples == hasEpochs) {
            error("$.schedule", hasSamples ? "give samplesSeen or epochs, not both" : "give either samplesSeen or epochs");
            return null;
        }
        if (hasSamples) {
            Long s = positiveLong(node.get("samplesSeen"), "$.schedule.samplesSeen");
            return s == null ? null : new Design.Schedule(s, null);
        }
        Double e = positiveNumber(node.get("epochs"), "$.schedule.epochs");
        return e == null ? null : new Design.Schedule(null, e);
    }

    private Map<String, String> readHyperparameters(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (isMissing(node)) {
            return out;
        }
        if (!node.isObject()) {
            error("$.hyperparameters", "must be an object of name → value");
            return out;
        }
        node.fields().forEachRemaining(e -> {
            // SageMaker hyperparameters are strings on the wire; numbers and booleans are accepted and stringified.
            if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                out.put(e.getKey(), e.getValue().asText());
            } else {
                error("$.hyperparameters." + e.getKey(), "must be a string, number or boolean");
            }
        });
        return out;
    }

    private List<Design.Valued<Integer>> readPositiveIntList(JsonNode node, String path, boolean required) {
        return readList(node, path, required, (item, p) -> {
            Long v = positiveLong(item, p);
            if (v != null && v > Integer.MAX_VALUE) {
                error(p, "is too large");
                return null;
            }
            return v == null ? null : v.intValue();
        });
    }

    private List<Design.Valued<Double>> readPositiveNumberList(JsonNode node, String path, boolean required) {
        return readList(node, path, required, this::positiveNumber);
    }

    /** A non-empty array whose items each read to a value, or record an error at their own path and read to null. */
    private <T> List<Design.Valued<T>> readList(JsonNode node, String path, boolean required,
                                                java.util.function.BiFunction<JsonNode, String, T> item) {
        List<Design.Valued<T>> out = new ArrayList<>();
        if (isMissing(node)) {
            if (required) {
                error(path, "is required (at least one value)");
            }
            return out;
        }
        if (!node.isArray()) {
            error(path, "must be an array");
            return out;
        }
        if (node.isEmpty()) {
            error(path, "must not be empty");
            return out;
        }
        for (int i = 0; i < node.size(); i++) {
            String p = path + "[" + i + "]";
            T v = item.apply(node.get(i), p);
            if (v != null) {
                out.add(new Design.Valued<>(p, v));
            }
        }
        return out;
    }

    private Long requiredPositiveLong(JsonNode parent, String field, String path, String missingMessage) {
        JsonNode n = parent.get(field);
        if (isMissing(n)) {
            error(path, missingMessage);
            return null;
        }
        return positiveLong(n, path);
    }

    private Long positiveLong(JsonNode n, String path) {
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
            error(path, "must be a positive integer");
            return null;
        }
        if (n.asLong() <= 0) {
            error(path, "must be positive, was " + n.asLong());
            return null;
        }
        return n.asLong();
    }

    private Double positiveNumber(JsonNode n, String path) {
        if (n == null || !n.isNumber()) {
            error(path, "must be a positive number");
            return null;
        }
        if (!(n.asDouble() > 0) || Double.isInfinite(n.asDouble())) {
            error(path, "must be positive, was " + n.asText());
            return null;
        }
        return n.asDouble();
    }

    private String requiredString(JsonNode parent, String field, String path) {
        JsonNode n = parent.get(field);
        if (isMissing(n)) {
            error(path, "is required");
            return null;
        }
        if (!n.isTextual() || n.asText().isBlank()) {
            error(path, "must be a non-empty string");
            return null;
        }
        return n.asText();
    }

    private String optionalString(JsonNode parent, String field, String path) {
        JsonNode n = parent.get(field);
        if (isMissing(n)) {
            return null;
        }
        if (!n.isTextual()) {
            error(path, "must be a string");
            return null;
        }
        return n.asText();
    }

    private boolean optionalBoolean(JsonNode parent, String field, String path, boolean fallback) {
        JsonNode n = parent.get(field);
        if (isMissing(n)) {
            return fallback;
        }
        if (!n.isBoolean()) {
            error(path, "must be true or false");
            return fallback;
        }
        return n.asBoolean();
    }

    private static boolean isMissing(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode();
    }

    private void error(String path, String message) {
        errors.add(new ValidationError(path, message));
    }
}
