package io.sagebench.design.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.sagebench.design.domain.Design;

/**
 * Reads the grid of a design's JSON: its clusters, explicit cells, learning-rate scaling and schedule. Every cluster
 * that could be read is kept, so catalog checks still run and report alongside structural errors.
 */
final class GridParser {

    static final Pattern INSTANCE_TYPE = Pattern.compile("^ml\\.[a-z0-9]+\\.[a-z0-9]+$");
    static final Set<String> DISTRIBUTIONS = Set.of("none", "smdistributed", "pytorch-ddp");
    static final Set<String> SCALING_RULES = Set.of("none", "linear", "sqrt");
    /** The seed's one-GPU global batch: learning rates are written for it unless the design says otherwise. */
    static final int DEFAULT_BASE_GLOBAL_BATCH = 32;

    private final DesignFields f;
    private final List<Design.Cluster> readableClusters = new ArrayList<>();

    GridParser(DesignFields fields) {
        this.f = fields;
    }

    List<Design.Cluster> readableClusters() {
        return readableClusters;
    }

    Design.Cluster readCluster(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            f.error(path, "must be an object with instanceType and instanceCount");
            return null;
        }
        String type = f.requiredString(node, "instanceType", path + ".instanceType");
        if (type != null && !INSTANCE_TYPE.matcher(type).matches()) {
            f.error(path + ".instanceType", "must look like ml.<family>.<size>, e.g. ml.p3.2xlarge");
            type = null;
        }
        Integer count = null;
        JsonNode countNode = node.get("instanceCount");
        if (DesignFields.isMissing(countNode)) {
            f.error(path + ".instanceCount", "is required");
        } else if (!countNode.isIntegralNumber() || countNode.asLong() < 1 || countNode.asLong() > 20) {
            f.error(path + ".instanceCount", "must be an integer from 1 to 20");
        } else {
            count = countNode.asInt();
        }
        String distribution = f.optionalString(node, "distribution", path + ".distribution");
        if (distribution != null && !DISTRIBUTIONS.contains(distribution)) {
            f.error(path + ".distribution", "must be one of none, smdistributed, pytorch-ddp");
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

    List<Design.Cell> readCells(JsonNode node) {
        List<Design.Cell> cells = new ArrayList<>();
        if (DesignFields.isMissing(node)) {
            return cells;
        }
        if (!node.isArray()) {
            f.error("$.cells", "must be an array of cells");
            return cells;
        }
        for (int i = 0; i < node.size(); i++) {
            String path = "$.cells[" + i + "]";
            JsonNode c = node.get(i);
            if (c == null || !c.isObject()) {
                f.error(path, "must be an object with cluster and datasetSize");
                continue;
            }
            Design.Cluster cluster = null;
            if (DesignFields.isMissing(c.get("cluster"))) {
                f.error(path + ".cluster", "is required");
            } else {
                cluster = readCluster(c.get("cluster"), path + ".cluster");
            }
            Long size = null;
            if (DesignFields.isMissing(c.get("datasetSize"))) {
                f.error(path + ".datasetSize", "is required");
            } else {
                size = f.positiveLong(c.get("datasetSize"), path + ".datasetSize");
            }
            Design.Valued<Integer> batch = null;
            if (!DesignFields.isMissing(c.get("perDeviceBatchSize"))) {
                Long b = f.positiveLong(c.get("perDeviceBatchSize"), path + ".perDeviceBatchSize");
                if (b != null) {
                    batch = new Design.Valued<>(path + ".perDeviceBatchSize", (int) Math.min(b, Integer.MAX_VALUE));
                }
            }
            Design.Valued<Double> rate = null;
            if (!DesignFields.isMissing(c.get("learningRate"))) {
                Double r = f.positiveNumber(c.get("learningRate"), path + ".learningRate");
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

    Design.LearningRateScaling readScaling(JsonNode node) {
        if (DesignFields.isMissing(node)) {
            return new Design.LearningRateScaling("none", DEFAULT_BASE_GLOBAL_BATCH);
        }
        if (!node.isObject()) {
            f.error("$.learningRateScaling", "must be an object with rule and baseGlobalBatch");
            return null;
        }
        String rule = f.optionalString(node, "rule", "$.learningRateScaling.rule");
        if (rule == null) {
            rule = "none";
        } else if (!SCALING_RULES.contains(rule)) {
            f.error("$.learningRateScaling.rule", "must be one of none, linear, sqrt");
        }
        int base = DEFAULT_BASE_GLOBAL_BATCH;
        if (!DesignFields.isMissing(node.get("baseGlobalBatch"))) {
            Long b = f.positiveLong(node.get("baseGlobalBatch"), "$.learningRateScaling.baseGlobalBatch");
            if (b != null) {
                base = (int) Math.min(b, Integer.MAX_VALUE);
            }
        }
        return new Design.LearningRateScaling(rule, base);
    }

    Design.Schedule readSchedule(JsonNode node) {
        if (DesignFields.isMissing(node)) {
            f.error("$.schedule", "is required: give either samplesSeen (every run sees the same samples) or epochs");
            return null;
        }
        if (!node.isObject()) {
            f.error("$.schedule", "must be an object with samplesSeen or epochs");
            return null;
        }
        boolean hasSamples = !DesignFields.isMissing(node.get("samplesSeen"));
        boolean hasEpochs = !DesignFields.isMissing(node.get("epochs"));
        if (hasSamples == hasEpochs) {
            f.error("$.schedule", hasSamples ? "give samplesSeen or epochs, not both" : "give either samplesSeen or epochs");
            return null;
        }
        if (hasSamples) {
            Long s = f.positiveLong(node.get("samplesSeen"), "$.schedule.samplesSeen");
            return s == null ? null : new Design.Schedule(s, null);
        }
        Double e = f.positiveNumber(node.get("epochs"), "$.schedule.epochs");
        return e == null ? null : new Design.Schedule(null, e);
    }
}
