package io.sagebench.results.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sagebench.results.domain.DesignSummary;
import io.sagebench.results.domain.RunRecord;

import java.math.BigDecimal;

/** The JSON results-service publishes (the contracts schemas RunResult and DesignCompleted) and serves over REST. */
public final class EventPayloads {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EventPayloads() {
    }

    public static ObjectNode runResult(RunRecord r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("runId", r.runId());
        n.put("designId", r.designId());
        n.put("cellId", r.cellId());
        n.put("sequence", r.sequence());
        n.put("replicate", r.replicate());
        n.put("attempt", r.attempt());
        n.put("trainingJobName", r.trainingJobName());
        n.put("status", r.status());
        if (r.failureReason() == null) {
            n.putNull("failureReason");
        } else {
            n.put("failureReason", r.failureReason());
        }
        ObjectNode cluster = n.putObject("cluster");
        cluster.put("instanceType", r.instanceType());
        cluster.put("instanceCount", r.instanceCount());
        cluster.put("gpusPerInstance", r.gpusPerInstance());
        cluster.put("totalGpus", r.totalGpus());
        cluster.put("distribution", r.distribution());
        n.put("datasetSize", r.datasetSize());
        n.put("perDeviceBatchSize", r.perDeviceBatchSize());
        n.put("globalBatchSize", r.globalBatchSize());
        n.put("learningRate", r.learningRate());
        n.put("steps", r.steps());
        n.put("epochs", r.epochs());
        n.put("trainingSeconds", r.trainingSeconds());
        n.put("billableSeconds", r.billableSeconds());
        n.put("startupSeconds", r.startupSeconds());
        n.put("trainingPhaseSeconds", r.trainingPhaseSeconds());
        n.put("uploadSeconds", r.uploadSeconds());
        n.put("samplesPerSecond", r.samplesPerSecond());
        n.put("spotSavingsPercent", r.spotSavingsPercent());
        n.put("hourlyPriceUsd", plain(r.hourlyPriceUsd()));
        n.put("priceBookVersion", r.priceBookVersion());
        n.put("costUsd", plain(r.costUsd()));
        // costUsd includes every earlier failed attempt; billableSeconds and the times are the final attempt's.
        n.put("attempts", r.attempts());
        n.put("failedAttemptsBillableSeconds", r.failedAttemptsBillableSeconds());
        n.put("failedAttemptsCostUsd", plain(r.failedAttemptsCostUsd()));
        n.put("f1", r.f1());
        ObjectNode metrics = n.putObject("metrics");
        r.metrics().forEach(metrics::put);
        if (r.finishedAt() != null) {
            n.put("finishedAt", r.finishedAt().toString());
        }
        return n;
    }

    public static ObjectNode designCompleted(DesignSummary s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("designId", s.designId());
        n.put("runCount", s.runCount());
        n.put("succeeded", s.succeeded());
        n.put("failed", s.failed());
        n.put("stopped", s.stopped());
        n.put("cancelled", s.cancelled());
        n.put("totalCostUsd", plain(s.totalCostUsd()));
        n.put("totalBillableSeconds", s.totalBillableSeconds());
        n.put("completedAt", s.completedAt().toString());
        n.put("reusedRuns", s.reusedRuns());
        return n;
    }

    /** No exponent in the JSON (1E+1 is valid JSON but surprises people). */
    private static BigDecimal plain(BigDecimal value) {
        return new BigDecimal(value.toPlainString());
    }
}
