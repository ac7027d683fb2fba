package io.sagebench.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One training job: the request it was created with, its planned timeline (decided at creation from the model, the seed
 * and the faults, so a seed reproduces it) and the part of the timeline that has happened on the simulated clock.
 * Not thread-safe: the emulator guards every job with its own lock.
 */
final class TrainingJob {

    static final Set<String> TERMINAL = Set.of("Completed", "Failed", "Stopped");
    /** Secondary statuses during which the instances run (and are billed). */
    static final Set<String> RUNNING = Set.of("Downloading", "Training", "Uploading", "Stopping");

    /** One planned change. {@code atMillis} is simulated epoch milliseconds. */
    record Step(long atMillis, String status, String secondaryStatus, String message, String failureReason) {
        boolean terminal() {
            return TERMINAL.contains(status);
        }
    }

    static final class Transition {
        final String status;
        final long startMillis;
        Long endMillis;
        String message;

        Transition(String status, long startMillis, String message) {
            this.status = status;
            this.startMillis = startMillis;
            this.message = message;
        }
    }

    record Tag(String key, String value) {
    }

    final String name;
    final String arn;
    final ObjectNode request;
    final long creationMillis;
    final String instanceType;
    final int instanceCount;
    final boolean spot;
    final TrainingModel.Workload workload;
    /** Fraction of running time that is billed: 1 on demand, the spot discount for managed spot training. */
    final double billedFraction;
    final Map<String, Double> plannedMetrics;
    final long plannedMetricsAtMillis;

    private final List<Step> plan;
    private int nextStep;
    final List<Transition> transitions = new ArrayList<>();
    final Map<String, Tag> tags = new LinkedHashMap<>();
    String status;
    String secondaryStatus;
    long lastModifiedMillis;
    Long trainingStartMillis;
    Long trainingEndMillis;
    String failureReason;
    Map<String, Double> finalMetrics;
    long finalMetricsAtMillis;
    /** Sequence number of the next event of this job (identity for deterministic event faults). */
    int eventSequence;
    /** Self-test (breakPromise=never-end): the job never applies its terminal step. */
    boolean neverEnds;
    /** Self-test (breakPromise=duplicate-create): a second job under an existing name; it sends no events. */
    boolean duplicate;
    /** StopTrainingJob calls that reached this job, and the simulated time of the first. */
    int stopRequests;
    Long firstStopMillis;

    TrainingJob(String name, String arn, ObjectNode request, long creationMillis, String instanceType, int instanceCount,
                boolean spot, TrainingModel.Workload workload, double billedFraction, List<Step> plan,
                Map<String, Double> plannedMetrics, long plannedMetricsAtMillis, List<Tag> initialTags) {
        this.name = name;
        this.arn = arn;
        this.request = request;
        this.creationMillis = creationMillis;
        this.instanceType = instanceType;
        this.instanceCount = instanceCount;
        this.spot = spot;
        this.workload = workload;
        this.billedFraction = billedFraction;
        this.plan = new ArrayList<>(plan);
        this.plannedMetrics = plannedMetrics;
        this.plannedMetricsAtMillis = plannedMetricsAtMillis;
        initialTags.forEach(t -> tags.put(t.key(), t));
    }

    boolean terminal() {
        return status != null && TERMINAL.contains(status);
    }

    /** Instances counted against the instance-type quota: everything not finished. */
    boolean holdsInstances() {
        return !terminal();
    }

    /**
     * Applies every planned step due at {@code nowMillis}; returns the steps that changed the status or secondary
     * status (a step that only updates the current transition's message is not a state change).
     */
    List<Step> advanceTo(long nowMillis) {
        List<Step> changes = new ArrayList<>();
        while (nextStep < plan.size() && plan.get(nextStep).atMillis() <= nowMillis) {
            if (neverEnds && plan.get(nextStep).terminal()) break;
            Step s = plan.get(nextStep++);
            if (apply(s)) changes.add(s);
        }
        return changes;
    }

    boolean hasMoreSteps() {
        return nextStep < plan.size();
    }

    /** Replaces the rest of the plan (StopTrainingJob); the new steps must not precede what already happened. */
    void replanFrom(List<Step> newSteps) {
        while (plan.size() > nextStep) plan.remove(plan.size() - 1);
        plan.addAll(newSteps);
    }

    Step nextPlannedStep() {
        return nextStep < plan.size() ? plan.get(nextStep) : null;
    }

    private boolean apply(Step s) {
        if (!transitions.isEmpty()) {
            Transition last = transitions.get(transitions.size() - 1);
            if (s.status().equals(status) && s.secondaryStatus().equals(secondaryStatus)) {
                last.message = s.message();
                return false;
            }
            if (last.endMillis == null) last.endMillis = s.atMillis();
        }
        Transition t = new Transition(s.secondaryStatus(), s.atMillis(), s.message());
        if (s.terminal()) t.endMillis = s.atMillis();
        transitions.add(t);
        status = s.status();
        secondaryStatus = s.secondaryStatus();
        lastModifiedMillis = s.atMillis();
        if ("Downloading".equals(s.secondaryStatus()) && trainingStartMillis == null) {
            trainingStartMillis = s.atMillis();
        }
        if (s.failureReason() != null) failureReason = s.failureReason();
        if (s.terminal()) {
            if (trainingStartMillis != null) trainingEndMillis = s.atMillis();
            if ("Completed".equals(s.status())) {
                finalMetrics = plannedMetrics;
                finalMetricsAtMillis = plannedMetricsAtMillis;
            }
        }
        return true;
    }

    /** Wall-clock seconds from TrainingStartTime to TrainingEndTime (or now), as SageMaker reports them. */
    Long trainingTimeSeconds() {
        if (trainingStartMillis == null || trainingEndMillis == null) return null;
        return Math.round((trainingEndMillis - trainingStartMillis) / 1000.0);
    }

    /** Seconds the instances actually ran (interruptions excluded), times the billed fraction. */
    Long billableTimeSeconds() {
        if (trainingStartMillis == null || trainingEndMillis == null) return null;
        long runningMillis = 0;
        for (Transition t : transitions) {
            if (RUNNING.contains(t.status) && t.endMillis != null && t.startMillis >= trainingStartMillis) {
                runningMillis += t.endMillis - t.startMillis;
            }
        }
        return Math.round(runningMillis / 1000.0 * billedFraction);
    }

    String tagValue(String key) {
        Tag t = tags.get(key);
        return t == null ? null : t.value();
    }

    JsonNode member(String name) {
        return request.get(name);
    }
}
