package io.sagebench.results.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.sagebench.contracts.ids.Ids;
import io.sagebench.contracts.ids.JobNames;
import io.sagebench.contracts.ids.RunAttempt;
import io.sagebench.results.domain.AttemptEnded;
import io.sagebench.results.domain.CancelRequest;
import io.sagebench.results.domain.DesignAccepted;
import io.sagebench.results.domain.JobState;
import io.sagebench.results.domain.LaunchNews;
import io.sagebench.results.domain.PlannedRun;
import io.sagebench.results.domain.RunPlan;
import io.sagebench.results.domain.RunStatus;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Tolerant readers of the events results-service consumes (contracts' schemas), into the domain's records. */
public final class IncomingEvents {

    private IncomingEvents() {
    }

    static final Set<String> RELAUNCH_CALLED_OFF = Set.of("cancelled", "launch-failed");

    private static final Set<String> JOB_STATUSES = Set.of("InProgress", "Completed", "Failed", "Stopping", "Stopped");

    public static PlannedRun runPlanned(JsonNode body) {
        Fields f = new Fields(body);
        RunPlan plan = new RunPlan(f.text("runId"), f.text("designId"), f.text("cellId"), f.integer("sequence"),
                f.integer("replicate"), f.text("model.hubId"), f.optLong("model.parameters"), f.text("dataset.hubId"),
                f.integer("dataset.size"), f.text("cluster.instanceType"), f.integer("cluster.instanceCount"),
                f.integer("cluster.gpusPerInstance"), f.integer("cluster.totalGpus"), f.text("cluster.distribution"),
                f.integer("perDeviceBatchSize"), f.integer("globalBatchSize"), f.number("learningRate"),
                f.integer("steps"), f.number("epochs"), f.longInteger("samplesSeen"), f.integer("volumeSizeGb"),
                Boolean.TRUE.equals(f.optBoolean("spot")), f.text("region"));
        if (plan.instanceCount() < 1 && body.path("cluster").has("instanceCount")) {
            f.problem("$.cluster.instanceCount must be at least 1");
        }
        f.check("RunPlanned");
        return new PlannedRun(plan, f.optNumber("quote.seconds"), f.optNumber("quote.usd"),
                f.optNumber("quote.hourlyPriceUsd"), f.optText("quote.priceBookVersion"));
    }

    public static CancelRequest runCancelRequested(JsonNode body) {
        Fields f = new Fields(body);
        CancelRequest c = new CancelRequest(f.text("runId"), f.text("designId"), f.optText("reason"));
        f.check("RunCancelRequested");
        return c;
    }

    public static DesignAccepted designAccepted(JsonNode body) {
        Fields f = new Fields(body);
        // reusedFrom (runId -> the earlier run) names each reused run; quote.reusedRuns counts them (older producers).
        JsonNode reusedFrom = body.path("reusedFrom");
        int reused = reusedFrom.isObject() ? reusedFrom.size() : Math.max(0, body.path("quote").path("reusedRuns").asInt(0));
        DesignAccepted d = new DesignAccepted(f.text("designId"), f.optText("name"), f.integer("runCount"),
                f.textList("runIds"), f.optInstant("acceptedAt"), reused);
        if (d.runCount() < 1 && body.has("runCount")) {
            f.problem("$.runCount must be at least 1");
        }
        f.check("DesignAccepted");
        return d;
    }

    public static LaunchNews launch(String eventType, JsonNode body) {
        Fields f = new Fields(body);
        String runId = f.text("runId");
        String designId = f.optText("designId");
        if (designId == null && runId != null) {
            designId = designOf(runId);
            if (designId == null) {
                f.problem("$.designId is missing and cannot be derived from runId " + runId);
            }
        }
        LaunchNews l = switch (eventType) {
            case "RunLaunched" -> new LaunchNews(eventType, runId, designId, f.integer("attempt"), f.text("trainingJobName"),
                    null, null, null, f.optInstant("launchedAt"));
            case "RunLaunchFailed" -> new LaunchNews(eventType, runId, designId, f.integer("attempt"),
                    f.optText("trainingJobName"), f.optText("failureClass"), f.optBoolean("retryable"), f.optText("message"),
                    null);
            case "RunDeferred" -> new LaunchNews(eventType, runId, designId, null, null, f.optText("reason"), Boolean.TRUE,
                    f.optText("detail"), null);
            default -> throw new IllegalArgumentException("not a launch event: " + eventType);
        };
        f.check(eventType);
        return l;
    }

    public static AttemptEnded attemptEnded(JsonNode body) {
        Fields f = new Fields(body);
        String runId = f.text("runId");
        String designId = f.optText("designId");
        if (designId == null && runId != null) {
            designId = designOf(runId);
            if (designId == null) {
                f.problem("$.designId is missing and cannot be derived from runId " + runId);
            }
        }
        int attempt = f.integer("attempt");
        if (attempt < 1 && body.has("attempt")) {
            f.problem("$.attempt must be at least 1");
        }
        String jobName = f.text("trainingJobName");
        String status = f.text("status");
        if (status != null && !RunStatus.isTerminal(status)) {
            f.problem("$.status must be Completed, Failed or Stopped, got " + status);
        }
        Boolean relaunch = f.optBoolean("relaunch");
        if (relaunch == null) {
            f.problem("$.relaunch is required (true or false)");
        }
        Integer nextAttempt = f.optInteger("nextAttempt");
        String calledOff = f.optText("relaunchCalledOff");
        if (calledOff != null && !RELAUNCH_CALLED_OFF.contains(calledOff)) {
            f.problem("$.relaunchCalledOff must be one of " + new TreeSet<>(RELAUNCH_CALLED_OFF) + ", got " + calledOff);
        }
        if (calledOff != null && Boolean.TRUE.equals(relaunch)) {
            f.problem("$.relaunch must be false when $.relaunchCalledOff is set");
        }
        f.check("RunAttemptEnded");
        return new AttemptEnded(runId, designId, attempt, jobName, status, Boolean.TRUE.equals(relaunch), nextAttempt,
                calledOff);
    }

    public static JobState jobState(JsonNode body) {
        Fields f = new Fields(body);
        String jobName = f.text("trainingJobName");
        String status = f.text("status");
        String secondary = f.optText("secondaryStatus");
        if (status != null && !JOB_STATUSES.contains(status)) {
            f.problem("$.status must be one of " + JOB_STATUSES + ", got " + status);
        }
        String runId = f.optText("runId");
        Integer attempt = f.optInteger("attempt");
        if (jobName != null && (runId == null || attempt == null)) {
            Optional<RunAttempt> named = JobNames.parse(jobName);
            if (named.isPresent()) {
                runId = runId == null ? named.get().runId() : runId;
                attempt = attempt == null ? Integer.valueOf(named.get().attempt()) : attempt;
            } else {
                f.problem("$.runId is missing and training job name " + jobName + " is not bench-<runId>-a<attempt>");
            }
        }
        String designId = f.optText("designId");
        if (designId == null && runId != null) {
            designId = designOf(runId);
            if (designId == null) {
                f.problem("$.designId is missing and cannot be derived from runId " + runId);
            }
        }
        Instant lastModified = f.optInstant("lastModifiedTime");
        f.check("TrainingJobStateChanged");
        return new JobState(jobName, runId, designId, attempt == null ? 1 : attempt, status,
                secondary == null ? status : secondary, lastModified, f.optText("failureReason"));
    }

    static String designOf(String runId) {
        return Ids.designIdOf(runId).orElse(null);
    }
}
