package io.sagebench.launcher.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sagebench.contracts.ids.Ids;
import io.sagebench.launcher.domain.Distribution;
import io.sagebench.launcher.domain.InvalidEventException;
import io.sagebench.launcher.domain.RunPlan;

/**
 * Tolerant reader of RunPlanned (the contracts RunPlanned schema): reads only what the launcher needs, ignores
 * unknown fields, and reports every missing or invalid field at once with its JSON path.
 */
public final class RunPlanReader {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RunPlanReader() {
    }

    public static RunPlan read(String json) {
        JsonNode root;
        try {
            root = json == null ? null : MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException(List.of("not JSON: " + e.getOriginalMessage()), null, null);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidEventException(List.of("$: expected a JSON object"), null, null);
        }
        Fields f = new Fields(root);
        String runId = f.text("runId", true);
        if (runId != null && !Ids.isRunId(runId)) {
            f.problem("$.runId: '" + runId + "' is not a run id (lower-case letters, digits, single hyphens, <= 48)");
            runId = null;
        }
        String designId = f.text("designId", true);
        String cellId = f.text("cellId", true);
        int replicate = (int) f.integer("replicate", true, 1, Integer.MAX_VALUE, 1);
        String model = f.text("model.hubId", true);
        Integer seqLen = f.has("model.sequenceLength")
                ? (int) f.integer("model.sequenceLength", false, 1, 65536, 512) : null;
        String dataset = f.text("dataset.hubId", true);
        long datasetSize = f.integer("dataset.size", true, 1, Long.MAX_VALUE, 1);
        Double trainFraction = f.has("dataset.trainFraction") ? f.number("dataset.trainFraction", false, 0, 1) : null;
        Integer splitSeed = f.has("dataset.splitSeed")
                ? (int) f.integer("dataset.splitSeed", false, Integer.MIN_VALUE, Integer.MAX_VALUE, 0) : null;
        String instanceType = f.text("cluster.instanceType", true);
        if (instanceType != null && !instanceType.matches("^ml\\.[a-z0-9]+\\.[a-z0-9]+$")) {
            f.problem("$.cluster.instanceType: '" + instanceType + "' is not an instance type like ml.p3.2xlarge");
        }
        int instanceCount = (int) f.integer("cluster.instanceCount", true, 1, 20, 1);
        String distributionName = f.text("cluster.distribution", true);
        Distribution distribution = Distribution.NONE;
        if (distributionName != null) {
            distribution = Distribution.fromWire(distributionName).orElse(null);
            if (distribution == null) {
                f.problem("$.cluster.distribution: '" + distributionName
                        + "' is not one of none, smdistributed, pytorch-ddp");
            }
        }
        int perDevice = (int) f.integer("perDeviceBatchSize", true, 1, Integer.MAX_VALUE, 1);
        double lr = f.number("learningRate", true, Double.MIN_VALUE, Double.MAX_VALUE);
        long steps = f.integer("steps", true, 1, Long.MAX_VALUE, 1);
        double epochs = f.number("epochs", true, Double.MIN_VALUE, Double.MAX_VALUE);
        int volume = (int) f.integer("volumeSizeGb", true, 1, 16384, 1);
        int maxRuntime = (int) f.integer("maxRuntimeSeconds", true, 1, 2419200, 1);
        boolean spot = f.bool("spot", true);
        Integer maxWait = f.has("maxWaitSeconds")
                ? (int) f.integer("maxWaitSeconds", false, 1, 2419200, 1) : null;
        String region = f.text("region", true);
        Map<String, String> hyperparameters = new LinkedHashMap<>();
        JsonNode hp = root.path("hyperparameters");
        if (!hp.isMissingNode() && !hp.isNull()) {
            if (!hp.isObject()) {
                f.problem("$.hyperparameters: expected an object of strings");
            } else {
                hp.properties().forEach(e -> {
                    if (e.getValue().isTextual()) {
                        hyperparameters.put(e.getKey(), e.getValue().asText());
                    } else {
                        f.problem("$.hyperparameters." + e.getKey() + ": expected a string");
                    }
                });
            }
        }
        String submittedBy = f.has("submittedBy") ? f.text("submittedBy", false) : null;
        Double quotedUsd = f.has("quote.usd") ? f.number("quote.usd", false, 0, Double.MAX_VALUE) : null;
        String requestedImage = f.has("trainingImage") ? f.text("trainingImage", false)
                : f.has("image") ? f.text("image", false) : null;
        if (!f.problems.isEmpty()) {
            throw new InvalidEventException(f.problems, runId, designId);
        }
        return new RunPlan(runId, designId, cellId, replicate, model, seqLen, dataset, datasetSize, trainFraction,
                splitSeed, instanceType, instanceCount, distribution, perDevice, lr, steps, epochs, volume, maxRuntime,
                spot, maxWait, region, hyperparameters, submittedBy, quotedUsd, requestedImage);
    }

    /** Path-based field access that records a problem instead of throwing, so one pass finds them all. */
    private static final class Fields {
        private final JsonNode root;
        private final List<String> problems = new ArrayList<>();

        Fields(JsonNode root) {
            this.root = root;
        }

        void problem(String p) {
            problems.add(p);
        }

        JsonNode node(String path) {
            JsonNode n = root;
            for (String part : path.split("\\.")) {
                n = n.path(part);
            }
            return n;
        }

        boolean has(String path) {
            JsonNode n = node(path);
            return !n.isMissingNode() && !n.isNull();
        }

        String text(String path, boolean required) {
            JsonNode n = node(path);
            if (n.isMissingNode() || n.isNull()) {
                if (required) {
                    problems.add("$." + path + ": required");
                }
                return null;
            }
            if (!n.isTextual() || n.asText().isBlank()) {
                problems.add("$." + path + ": expected a non-empty string");
                return null;
            }
            return n.asText();
        }

        long integer(String path, boolean required, long min, long max, long fallback) {
            JsonNode n = node(path);
            if (n.isMissingNode() || n.isNull()) {
                if (required) {
                    problems.add("$." + path + ": required");
                }
                return fallback;
            }
            if (!n.isIntegralNumber() && !(n.isNumber() && n.asDouble() == Math.rint(n.asDouble()))) {
                problems.add("$." + path + ": expected an integer, got " + n);
                return fallback;
            }
            long v = n.asLong();
            if (v < min || v > max) {
                problems.add("$." + path + ": " + v + " is outside " + min + ".." + max);
                return fallback;
            }
            return v;
        }

        double number(String path, boolean required, double min, double max) {
            JsonNode n = node(path);
            if (n.isMissingNode() || n.isNull()) {
                if (required) {
                    problems.add("$." + path + ": required");
                }
                return min;
            }
            if (!n.isNumber()) {
                problems.add("$." + path + ": expected a number, got " + n);
                return min;
            }
            double v = n.asDouble();
            if (v < min || v > max) {
                problems.add("$." + path + ": " + v + " is outside the allowed range");
                return min;
            }
            return v;
        }

        boolean bool(String path, boolean required) {
            JsonNode n = node(path);
            if (n.isMissingNode() || n.isNull()) {
                if (required) {
                    problems.add("$." + path + ": required");
                }
                return false;
            }
            if (!n.isBoolean()) {
                problems.add("$." + path + ": expected true or false, got " + n);
                return false;
            }
            return n.asBoolean();
        }
    }
}
