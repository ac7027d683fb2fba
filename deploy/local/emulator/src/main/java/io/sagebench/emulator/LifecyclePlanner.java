package io.sagebench.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.sagebench.emulator.TrainingJob.Step;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Turns a CreateTrainingJob request into the job's timeline (SageMaker's statuses, secondary statuses and their
 * messages), and re-plans on StopTrainingJob. Decisions are drawn from streams seeded by the emulator seed and the job
 * name, so the same requests give the same jobs.
 */
final class LifecyclePlanner {

    static final String IN_PROGRESS = "InProgress";
    /** Share of running time billed for managed spot training (~70% savings, as BillableTimeInSeconds reports it). */
    static final double SPOT_BILLED_FRACTION = 0.3;
    /** How long after the Training phase begins an out-of-memory script dies (model load + first step). */
    static final int OOM_AFTER_SECONDS = 60;
    /** Time to wait for spot capacity after an interruption: 120..600 s. */
    static final int SPOT_RECLAIM_WAIT_MIN_SECONDS = 120;
    static final int SPOT_RECLAIM_WAIT_JITTER_SECONDS = 480;
    /** With checkpoints, an interrupted job loses the work since its last checkpoint (at most this share of training). */
    static final double CHECKPOINT_LOSS_FRACTION = 0.05;
    /** StopTrainingJob: SIGTERM then up to 120 s grace; a fine-tune script exits quickly. */
    static final int STOP_SECONDS_RUNNING = 30;
    static final int STOP_SECONDS_NOT_STARTED = 10;
    static final long DEFAULT_MAX_RUNTIME_SECONDS = 86_400;

    static final String CAPACITY_REASON = "CapacityError: Unable to provision requested ML compute capacity. "
            + "Please retry using a different ML instance type.";

    record Plan(List<Step> steps, TrainingModel.Workload workload, java.util.Map<String, Double> metrics,
                long metricsAtMillis, double billedFraction) {
    }

    private LifecyclePlanner() {
    }

    static Plan plan(String name, JsonNode request, long creationMillis, long seed, Faults faults) {
        JsonNode resources = request.get("ResourceConfig");
        InstanceCatalog.InstanceType type = InstanceCatalog.find(resources.get("InstanceType").asText());
        int count = resources.get("InstanceCount").asInt();
        int volume = resources.get("VolumeSizeInGB").asInt();
        boolean spot = request.path("EnableManagedSpotTraining").asBoolean(false);
        boolean checkpoints = request.hasNonNull("CheckpointConfig");
        JsonNode stopping = request.path("StoppingCondition");
        long maxRuntime = stopping.path("MaxRuntimeInSeconds").asLong(DEFAULT_MAX_RUNTIME_SECONDS);
        long maxWait = stopping.path("MaxWaitTimeInSeconds").asLong(0);

        TrainingModel.Workload w = TrainingModel.workload(SageMakerEmulator.stringMap(request.get("HyperParameters")),
                type, count);
        Random r = Seeds.random(seed, name, "lifecycle");
        double noise = r.nextDouble() * 2 - 1;
        long starting = TrainingModel.startingSeconds(w, r, spot);
        long downloading = TrainingModel.downloadingSeconds(w);
        long training = TrainingModel.trainingSeconds(w, noise);
        long uploading = TrainingModel.uploadingSeconds(w, r);
        List<String> metricNames = new ArrayList<>();
        request.path("AlgorithmSpecification").path("MetricDefinitions")
                .forEach(m -> metricNames.add(m.path("Name").asText()));
        var metrics = TrainingModel.finalMetrics(metricNames, w, training, Seeds.random(seed, name, "metrics"));

        List<Step> steps = new ArrayList<>();
        long t = creationMillis;
        steps.add(step(t, IN_PROGRESS, "Starting", "Preparing the instances for training"));
        double billed = spot ? SPOT_BILLED_FRACTION : 1.0;
        if (faults.decide("capacityFailurePercent", name)) {
            faults.increment(Faults.CAPACITY_FAILURES);
            steps.add(step(t + 1000, IN_PROGRESS, "Starting",
                    "Insufficient capacity error from EC2 while launching instances, retrying!"));
            steps.add(failed(t + starting * 1000, CAPACITY_REASON));
            return new Plan(steps, w, metrics, 0, billed);
        }
        t += starting * 1000;
        steps.add(step(t, IN_PROGRESS, "Downloading", "Downloading input data"));
        String volumeProblem = TrainingModel.volumeTooSmallReason(w, volume);
        if (volumeProblem != null) {
            steps.add(failed(t + Math.max(1, downloading) * 1000, volumeProblem));
            return new Plan(cut(steps, creationMillis, maxRuntime, spot ? maxWait : 0), w, metrics, 0, billed);
        }
        t += downloading * 1000;
        steps.add(step(t, IN_PROGRESS, "Training", "Training image download completed. Training in progress."));
        String oom = TrainingModel.outOfMemoryReason(w);
        if (oom != null) {
            steps.add(failed(t + OOM_AFTER_SECONDS * 1000L, oom));
            return new Plan(cut(steps, creationMillis, maxRuntime, spot ? maxWait : 0), w, metrics, 0, billed);
        }
        long remaining = training;
        if (spot && faults.decide("spotInterruptionPercent", name)) {
            faults.increment(Faults.SPOT_INTERRUPTIONS);
            long trained = Math.max(1, Math.round(training * (0.2 + 0.6 * r.nextDouble())));
            t += trained * 1000;
            steps.add(step(t, IN_PROGRESS, "Interrupted", "Training job interrupted: the spot instances were reclaimed. "
                    + "Waiting for spot capacity to restart"));
            t += (SPOT_RECLAIM_WAIT_MIN_SECONDS + r.nextInt(SPOT_RECLAIM_WAIT_JITTER_SECONDS + 1)) * 1000L;
            steps.add(step(t, IN_PROGRESS, "Starting", "Restarting the training job after a spot interruption"));
            t += TrainingModel.startingSeconds(w, r, false) * 1000;
            steps.add(step(t, IN_PROGRESS, "Downloading", "Downloading input data"));
            t += downloading * 1000;
            steps.add(step(t, IN_PROGRESS, "Training", "Training image download completed. Training in progress."));
            // Without checkpoints the script starts over; with them it resumes from the last one.
            remaining = checkpoints
                    ? training - trained + Math.min(trained, Math.round(training * CHECKPOINT_LOSS_FRACTION))
                    : training;
        }
        t += remaining * 1000;
        long metricsAt = t;
        steps.add(step(t, IN_PROGRESS, "Uploading", "Uploading generated training model"));
        t += uploading * 1000;
        steps.add(new Step(t, "Completed", "Completed", "Training job completed", null));
        return new Plan(cut(steps, creationMillis, maxRuntime, spot ? maxWait : 0), w, metrics, metricsAt, billed);
    }

    /**
     * Ends the timeline where a stopping condition hits first: running (billed) time reaching MaxRuntimeInSeconds, or,
     * for spot, MaxWaitTimeInSeconds after creation (waiting for capacity included).
     */
    static List<Step> cut(List<Step> steps, long creationMillis, long maxRuntimeSeconds, long maxWaitSeconds) {
        long runtimeCut = Long.MAX_VALUE;
        long running = 0;
        for (int i = 0; i + 1 < steps.size(); i++) {
            Step s = steps.get(i);
            long span = steps.get(i + 1).atMillis() - s.atMillis();
            if (TrainingJob.RUNNING.contains(s.secondaryStatus())) {
                if (running + span > maxRuntimeSeconds * 1000) {
                    runtimeCut = s.atMillis() + (maxRuntimeSeconds * 1000 - running);
                    break;
                }
                running += span;
            }
        }
        long waitCut = maxWaitSeconds > 0 ? creationMillis + maxWaitSeconds * 1000 : Long.MAX_VALUE;
        long end = steps.get(steps.size() - 1).atMillis();
        long cutAt = Math.min(runtimeCut, waitCut);
        if (cutAt >= end) return steps;
        List<Step> out = new ArrayList<>();
        for (Step s : steps) {
            if (s.atMillis() < cutAt) out.add(s);
        }
        if (waitCut <= runtimeCut) {
            out.add(new Step(cutAt, "Stopped", "MaxWaitTimeExceeded",
                    "Training job exceeded MaxWaitTimeInSeconds provided", null));
        } else {
            out.add(new Step(cutAt, "Stopped", "MaxRuntimeExceeded",
                    "Training job runtime exceeded MaxRuntimeInSeconds provided", null));
        }
        return out;
    }

    /** The rest of the timeline after StopTrainingJob at {@code nowMillis}. */
    static List<Step> stop(TrainingJob job, long nowMillis) {
        long grace = (job.trainingStartMillis == null ? STOP_SECONDS_NOT_STARTED : STOP_SECONDS_RUNNING) * 1000L;
        List<Step> steps = new ArrayList<>();
        steps.add(new Step(nowMillis, "Stopping", "Stopping", "Stopping the training job", null));
        steps.add(new Step(nowMillis + grace, "Stopped", "Stopped", "Training job stopped", null));
        return steps;
    }

    private static Step step(long at, String status, String secondary, String message) {
        return new Step(at, status, secondary, message, null);
    }

    private static Step failed(long at, String reason) {
        return new Step(at, "Failed", "Failed", "Training job failed. " + reason, reason);
    }
}
