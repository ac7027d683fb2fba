package io.sagebench.design.app;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sagebench.design.domain.ValidationError;

/**
 * Turns the seed study's two CSV design formats into a DesignSubmitted with one explicit cell per CSV row, in the
 * CSV's order (the study's randomized order, so {@code randomize} is false):
 * <ul>
 *   <li>the raw design ({@code num_nodes,dataset_size,...}): {@code num_nodes} is coded, 1 = one ml.p3.2xlarge
 *       without data parallel, 2 and 4 = that many ml.p3.16xlarge with smdistributed; everything else is the
 *       study's (distilbert-base-uncased on amazon_polarity, batch 32, lr 5e-5, 2,700,000 samples seen);</li>
 *   <li>the 25-run table ({@code run_id,dataset_name,automodel_name,...}): explicit instance type, node count,
 *       data-parallel flag, batch and learning rate per row.</li>
 * </ul>
 */
public final class SeedCsvImporter {

    public static final String STUDY_MODEL = "distilbert-base-uncased";
    public static final long STUDY_PARAMETERS = 66_955_010L;
    public static final int STUDY_SEQUENCE_LENGTH = 512;
    public static final String STUDY_DATASET = "amazon_polarity";
    public static final long STUDY_SAMPLES_SEEN = 2_700_000L;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Options a caller may set (query parameters of POST /designs/import); nulls take the study's values. */
    public record Options(String designId, String name, Double budgetUsd, Long randomSeed, Long samplesSeen,
                          String region) {
    }

    /** Thrown with every problem found in the CSV (path = {@code csv line N, column C}). */
    public static final class ImportException extends RuntimeException {
        private final List<ValidationError> errors;

        public ImportException(List<ValidationError> errors) {
            super(errors.toString());
            this.errors = errors;
        }

        public List<ValidationError> errors() {
            return errors;
        }
    }

    private SeedCsvImporter() {
    }

    public static ObjectNode toDesign(String csv, Options options) {
        List<String> lines = csv.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.isEmpty()) {
            throw new ImportException(List.of(new ValidationError("csv", "is empty")));
        }
        List<String> header = Arrays.stream(lines.get(0).split(",", -1)).map(String::strip).toList();
        List<ValidationError> errors = new ArrayList<>();
        ObjectNode design = base(options);
        ArrayNode cells = design.putArray("cells");
        boolean table = header.contains("instance_type");
        if (!table && !(header.contains("num_nodes") && header.contains("dataset_size"))) {
            throw new ImportException(List.of(new ValidationError("csv line 1", "unknown format: expected the raw "
                    + "design (num_nodes,dataset_size,...) or the run table (run_id,...,instance_type,...)")));
        }
        for (int i = 1; i < lines.size(); i++) {
            String[] values = lines.get(i).split(",", -1);
            Map<String, String> row = new HashMap<>();
            for (int c = 0; c < header.size() && c < values.length; c++) {
                row.put(header.get(c), values[c].strip());
            }
            String where = "csv line " + (i + 1);
            try {
                if (table) {
                    tableRow(row, design, cells.addObject());
                } else {
                    rawRow(row, cells.addObject(), where, errors);
                }
            } catch (NumberFormatException | NullPointerException e) {
                errors.add(new ValidationError(where, "unreadable row: " + lines.get(i)));
            }
        }
        if (!errors.isEmpty()) {
            throw new ImportException(errors);
        }
        return design;
    }

    private static ObjectNode base(Options o) {
        ObjectNode d = MAPPER.createObjectNode();
        if (o.designId() != null) {
            d.put("designId", o.designId());
        }
        d.put("name", o.name() != null ? o.name() : "imported from the seed study's CSV");
        d.putObject("model").put("hubId", STUDY_MODEL).put("parameters", STUDY_PARAMETERS)
                .put("sequenceLength", STUDY_SEQUENCE_LENGTH);
        ObjectNode ds = d.putObject("dataset").put("hubId", STUDY_DATASET).put("trainFraction", 0.9).put("splitSeed", 42);
        ds.putArray("sizes").add(100_000).add(600_000).add(1_000_000);
        d.putArray("perDeviceBatchSizes").add(32);
        d.putArray("learningRates").add(5e-5);
        d.putObject("learningRateScaling").put("rule", "none");
        d.putObject("schedule").put("samplesSeen", o.samplesSeen() != null ? o.samplesSeen() : STUDY_SAMPLES_SEEN);
        d.put("randomize", false);
        if (o.randomSeed() != null) {
            d.put("randomSeed", o.randomSeed());
        }
        d.put("spot", false);
        d.put("region", o.region() != null ? o.region() : "us-east-1");
        d.put("budgetUsd", o.budgetUsd() != null ? o.budgetUsd() : 2500.0);
        return d;
    }

    private static void rawRow(Map<String, String> row, ObjectNode cell, String where, List<ValidationError> errors) {
        int nodes = Integer.parseInt(row.get("num_nodes"));
        ObjectNode cluster = cell.putObject("cluster");
        switch (nodes) {
            case 1 -> cluster.put("instanceType", "ml.p3.2xlarge").put("instanceCount", 1).put("distribution", "none");
            case 2, 4 -> cluster.put("instanceType", "ml.p3.16xlarge").put("instanceCount", nodes)
                    .put("distribution", "smdistributed");
            default -> errors.add(new ValidationError(where + ", num_nodes",
                    "must be 1 (one ml.p3.2xlarge), 2 or 4 (that many ml.p3.16xlarge), was " + nodes));
        }
        cell.put("datasetSize", Long.parseLong(row.get("dataset_size")));
    }

    private static void tableRow(Map<String, String> row, ObjectNode design, ObjectNode cell) {
        ((ObjectNode) design.get("model")).put("hubId", row.get("automodel_name"))
                .put("parameters", Long.parseLong(row.get("num_parameters_tuned")));
        ((ObjectNode) design.get("dataset")).put("hubId", row.get("dataset_name"));
        boolean parallel = Boolean.parseBoolean(row.get("parallel_enabled").toLowerCase());
        cell.putObject("cluster").put("instanceType", row.get("instance_type"))
                .put("instanceCount", Integer.parseInt(row.get("num_nodes")))
                .put("distribution", parallel ? "smdistributed" : "none");
        cell.put("datasetSize", Long.parseLong(row.get("dataset_size")));
        cell.put("perDeviceBatchSize", Integer.parseInt(row.get("per_device_train_batch_size")));
        cell.put("learningRate", Double.parseDouble(row.get("learning_rate")));
    }
}
