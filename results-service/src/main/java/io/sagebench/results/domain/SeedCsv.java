package io.sagebench.results.domain;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The study's CSV layout (seed_runs_design.csv, then its result columns train_time, f1, billable_seconds, cost), so
 * its notebooks keep working; sagebench's own columns follow. Numbers are written the way pandas wrote them
 * (5e-05, 3.0, True).
 */
public final class SeedCsv {

    public static final List<String> SEED_COLUMNS = List.of("run_id", "dataset_name", "automodel_name",
            "num_parameters_tuned", "per_device_train_batch_size", "learning_rate", "epochs", "instance_type", "num_gpus",
            "global_batch_size", "num_steps", "hourly_price", "volume_size", "parallel_enabled", "num_nodes",
            "dataset_size", "train_time", "f1", "billable_seconds", "cost");
    public static final List<String> SAGEBENCH_COLUMNS = List.of("sagebench_run_id", "design_id", "cell_id",
            "replicate", "status", "training_job_name", "price_book_version", "startup_seconds",
            "training_phase_seconds", "samples_per_second", "failure_reason");

    private SeedCsv() {
    }

    /** One row per planned run in sequence order; result columns stay empty until the run has ended. */
    public static String write(Collection<RunPlan> plans, Collection<RunRecord> results, Map<String, Double> quotedHourly) {
        Map<String, RunRecord> byRun = new HashMap<>();
        results.forEach(r -> byRun.put(r.runId(), r));
        List<RunPlan> ordered = new ArrayList<>(plans);
        ordered.sort(Comparator.comparingInt(RunPlan::sequence));
        StringBuilder out = new StringBuilder();
        List<String> header = new ArrayList<>(SEED_COLUMNS);
        header.addAll(SAGEBENCH_COLUMNS);
        out.append(String.join(",", header)).append('\n');
        for (RunPlan p : ordered) {
            RunRecord r = byRun.get(p.runId());
            BigDecimal hourly = r != null ? r.hourlyPriceUsd()
                    : quotedHourly.get(p.runId()) == null ? null : BigDecimal.valueOf(quotedHourly.get(p.runId()));
            List<String> cells = new ArrayList<>();
            cells.add(String.valueOf(p.sequence() - 1));
            cells.add(p.datasetHubId());
            cells.add(p.modelHubId());
            cells.add(p.modelParameters() == null ? "" : String.valueOf(p.modelParameters()));
            cells.add(String.valueOf(p.perDeviceBatchSize()));
            cells.add(pythonFloat(p.learningRate()));
            cells.add(pythonFloat(p.epochs()));
            cells.add(p.instanceType());
            cells.add(String.valueOf(p.totalGpus()));
            cells.add(String.valueOf(p.globalBatchSize()));
            cells.add(pythonFloat(p.steps()));
            cells.add(hourly == null ? "" : hourly.stripTrailingZeros().toPlainString());
            cells.add(String.valueOf(p.volumeSizeGb()));
            cells.add("none".equals(p.distribution()) ? "False" : "True");
            cells.add(String.valueOf(p.instanceCount()));
            cells.add(String.valueOf(p.datasetSize()));
            cells.add(r == null ? "" : String.valueOf(r.trainingSeconds()));
            cells.add(r == null || r.f1() == null ? "" : String.valueOf(r.f1()));
            cells.add(r == null ? "" : String.valueOf(r.billableSeconds()));
            cells.add(r == null ? "" : r.costUsd().toPlainString());
            cells.add(p.runId());
            cells.add(p.designId());
            cells.add(p.cellId());
            cells.add(String.valueOf(p.replicate()));
            cells.add(r == null ? "" : r.status());
            cells.add(r == null ? "" : r.trainingJobName());
            cells.add(r == null ? "" : r.priceBookVersion());
            cells.add(r == null || r.startupSeconds() == null ? "" : String.valueOf(r.startupSeconds()));
            cells.add(r == null || r.trainingPhaseSeconds() == null ? "" : String.valueOf(r.trainingPhaseSeconds()));
            cells.add(r == null || r.samplesPerSecond() == null ? "" : String.valueOf(r.samplesPerSecond()));
            cells.add(r == null || r.failureReason() == null ? "" : quote(r.failureReason()));
            out.append(String.join(",", cells)).append('\n');
        }
        return out.toString();
    }

    /** Python's repr of a float: shortest digits, exponent form below 1e-4 or from 1e16 (5e-05, 3.0, 0.000283). */
    public static String pythonFloat(double value) {
        if (value == 0) {
            return "0.0";
        }
        BigDecimal d = new BigDecimal(Double.toString(value)).stripTrailingZeros();
        double abs = Math.abs(value);
        if (abs < 1e-4 || abs >= 1e16) {
            String unscaled = d.unscaledValue().abs().toString();
            int exponent = unscaled.length() - 1 - d.scale();
            String mantissa = unscaled.length() == 1 ? unscaled : unscaled.charAt(0) + "." + unscaled.substring(1);
            return (value < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+")
                    + String.format("%02d", Math.abs(exponent));
        }
        String plain = d.toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
    }

    private static String quote(String s) {
        return "\"" + s.replace("\"", "\"\"").replace('\n', ' ') + "\"";
    }
}
