package io.sagebench.results.app;

import io.sagebench.contracts.EventType;
import io.sagebench.platform.db.CommitOrThrow;
import io.sagebench.results.domain.AttemptEnded;
import io.sagebench.results.domain.CancelRequest;
import io.sagebench.results.domain.DesignAccepted;
import io.sagebench.results.domain.JobState;
import io.sagebench.results.domain.LaunchNews;
import io.sagebench.results.domain.PlannedRun;
import io.sagebench.results.domain.RunPlan;
import io.sagebench.results.repository.AttemptVerdictEntity;
import io.sagebench.results.repository.DesignEntity;
import io.sagebench.results.repository.JobStateEntity;
import io.sagebench.results.repository.ProcessedEvent;
import io.sagebench.results.repository.RunCancelEntity;
import io.sagebench.results.repository.RunLaunchEntity;
import io.sagebench.results.repository.RunPlanEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Applies each incoming event in one transaction together with its processed_event row, so a redelivery changes
 * nothing. Each topic writes its own table, so events may arrive in any order across topics: a run is finished as soon
 * as its plan and a terminal job state of its final attempt are there, whichever came last. An attempt is final when
 * its job Completed or Stopped, or when the launcher's RunAttemptEnded for it says no relaunch.
 */
@ApplicationScoped
@CommitOrThrow
public class EventRecorder {

    private static final Logger LOG = Logger.getLogger(EventRecorder.class);
    /**
     * How long the sweep leaves a job that has just become terminal to the consumer that recorded it: during a burst
     * it would otherwise describe and price the same jobs a second time, and wait on the same design lock.
     */
    static final Duration SWEEP_GRACE = Duration.ofSeconds(15);

    @Inject
    ResultStore results;
    @Inject
    Event<ResultsMetrics.Consumed> consumed;
    @Inject
    Event<ResultsMetrics.LaunchFailedForGood> launchFailedForGood;

    /**
     * Records the event id (false: seen before, a redelivery) and counts the record as consumed once the transaction
     * has committed.
     */
    private boolean firstTime(Delivery delivery) {
        boolean first = ProcessedEvent.markProcessed(delivery.eventId(), delivery.topic());
        consumed.fire(new ResultsMetrics.Consumed(delivery.topic(), first ? "processed" : "duplicate"));
        return first;
    }

    /** @return the terminal jobs of the run that were already known, so the caller can finish the run now */
    @Transactional
    public List<String> recordRunPlanned(Delivery delivery, PlannedRun planned) {
        if (!firstTime(delivery)) {
            return List.of();
        }
        RunPlan p = planned.plan();
        if (RunPlanEntity.findById(p.runId()) == null) {
            RunPlanEntity e = RunPlanEntity.from(p);
            e.quoteSeconds = planned.quoteSeconds();
            e.quoteUsd = planned.quoteUsd();
            e.quoteHourlyPrice = planned.quoteHourlyPrice();
            e.quotePriceBook = planned.quotePriceBookVersion();
            e.traceparent = delivery.traceparent();
            e.persist();
        }
        return JobStateEntity.terminalOfRun(p.runId()).stream().map(j -> j.trainingJobName).toList();
    }

    /**
     * The launcher's verdict on an ended attempt. A job gets one, or two when the launcher announced a relaunch and
     * then called it off; "not relaunched" wins whichever came first, so redelivery and order do not matter.
     *
     * @return the job's name when its terminal state is already known, so the caller can finish (or charge) it now
     */
    @Transactional
    public Optional<String> recordAttemptEnded(Delivery delivery, AttemptEnded ended) {
        if (!firstTime(delivery)) {
            return Optional.empty();
        }
        AttemptVerdictEntity v = AttemptVerdictEntity.findById(ended.trainingJobName());
        if (v == null) {
            v = new AttemptVerdictEntity();
            v.trainingJobName = ended.trainingJobName();
            v.runId = ended.runId();
            v.designId = ended.designId();
            v.attempt = ended.attempt();
            v.status = ended.status();
            v.relaunch = ended.relaunch();
            v.nextAttempt = ended.nextAttempt();
            v.relaunchCalledOff = ended.relaunchCalledOff();
            v.receivedAt = Instant.now();
            v.persist();
        } else if (v.relaunch && !ended.relaunch()) {
            LOG.infof("run %s: the relaunch after attempt %d was called off (%s); that attempt is its last",
                    ended.runId(), ended.attempt(), ended.relaunchCalledOff());
            v.relaunch = false;
            v.nextAttempt = null;
            v.relaunchCalledOff = ended.relaunchCalledOff();
            v.receivedAt = Instant.now();
        }
        JobStateEntity j = JobStateEntity.findById(ended.trainingJobName());
        return j != null && j.terminal ? Optional.of(j.trainingJobName) : Optional.empty();
    }

    @Transactional
    public void recordDesignAccepted(Delivery delivery, DesignAccepted accepted) {
        if (!firstTime(delivery)) {
            return;
        }
        DesignEntity d = DesignEntity.lockOrCreate(accepted.designId());
        d.name = accepted.name();
        d.runCount = accepted.runCount();
        d.runIds = String.join(",", accepted.runIds());
        d.acceptedAt = accepted.acceptedAt() != null ? accepted.acceptedAt() : Instant.now();
        d.reusedRuns = accepted.reusedRuns();
        // Its runs may all have ended before the acceptance arrived.
        results.completeIfAllEnded(d);
    }

    @Transactional
    public void recordLaunch(Delivery delivery, LaunchNews launch) {
        if (!firstTime(delivery)) {
            return;
        }
        boolean failedForGood = EventType.RunLaunchFailed.name().equals(launch.eventType()) && Boolean.FALSE.equals(launch.retryable());
        // Same lock order as ResultStore.storeAll (design first), so the two never deadlock.
        DesignEntity design = failedForGood ? DesignEntity.lockOrCreate(launch.designId()) : null;
        RunLaunchEntity l = RunLaunchEntity.findById(launch.runId());
        if (l == null) {
            l = new RunLaunchEntity();
            l.runId = launch.runId();
            l.designId = launch.designId();
        } else if (l.attempt != null && launch.attempt() != null && launch.attempt() < l.attempt) {
            return; // an older attempt's news
        }
        switch (launch.eventType()) {
            case "RunLaunched" -> {
                l.state = RunLaunchEntity.LAUNCHED;
                l.launched = true;
                if (l.launchedAt == null) { // the first attempt's launch starts the run's clock
                    l.launchedAt = launch.launchedAt() != null ? launch.launchedAt() : Instant.now();
                }
                l.trainingJobName = launch.trainingJobName();
                l.failureClass = null;
                l.retryable = null;
            }
            case "RunLaunchFailed" -> {
                l.state = RunLaunchEntity.LAUNCH_FAILED;
                l.failureClass = launch.failureClass();
                l.retryable = launch.retryable();
            }
            default -> {
                if (l.launched && RunLaunchEntity.LAUNCHED.equals(l.state)) {
                    return; // a deferral that lost the race with the launch it preceded
                }
                l.state = RunLaunchEntity.DEFERRED;
                l.failureClass = launch.failureClass();
            }
        }
        if (launch.attempt() != null) {
            l.attempt = launch.attempt();
        }
        l.detail = launch.detail();
        l.updatedAt = Instant.now();
        l.persist();
        if (design != null) {
            launchFailedForGood.fire(new ResultsMetrics.LaunchFailedForGood(launch.designId(), launch.failureClass()));
            ResultStore.flush();
            results.completeIfAllEnded(design);
        }
    }

    @Transactional
    public void recordCancel(Delivery delivery, CancelRequest cancel) {
        if (!firstTime(delivery)) {
            return;
        }
        DesignEntity design = DesignEntity.lockOrCreate(cancel.designId());
        if (RunCancelEntity.findById(cancel.runId()) == null) {
            RunCancelEntity c = new RunCancelEntity();
            c.runId = cancel.runId();
            c.designId = cancel.designId();
            c.reason = cancel.reason();
            c.requestedAt = Instant.now();
            c.persist();
            ResultStore.flush();
        }
        results.completeIfAllEnded(design);
    }

    /** @return the job's name when it has just become terminal, so the caller can finish its run */
    @Transactional
    public Optional<String> recordJobState(Delivery delivery, JobState state) {
        return firstTime(delivery) ? applyJobState(state, JobStateEntity.findById(state.trainingJobName()))
                : Optional.empty();
    }

    /**
     * A batch of job states in one transaction, applied in record order (a job's later state in the same batch sees
     * its earlier one), so a burst of terminal states costs one commit instead of one each.
     *
     * @return the jobs that have just become terminal, each once, in record order
     */
    @Transactional
    public List<String> recordJobStates(List<Map.Entry<Delivery, JobState>> states) {
        if (states.isEmpty()) {
            return List.of();
        }
        // Two queries for the batch: which events were applied before, and the jobs already known
        Set<String> processed = ProcessedEvent.processedAmong(
                states.stream().map(s -> s.getKey().eventId()).collect(Collectors.toSet()));
        Map<String, JobStateEntity> jobs = new HashMap<>();
        JobStateEntity.<JobStateEntity>list("trainingJobName in ?1",
                states.stream().map(s -> s.getValue().trainingJobName()).collect(Collectors.toSet()))
                .forEach(j -> jobs.put(j.trainingJobName, j));
        Set<String> terminal = new LinkedHashSet<>();
        for (Map.Entry<Delivery, JobState> s : states) {
            Delivery delivery = s.getKey();
            boolean first = processed.add(delivery.eventId());
            consumed.fire(new ResultsMetrics.Consumed(delivery.topic(), first ? "processed" : "duplicate"));
            if (first) {
                ProcessedEvent.record(delivery.eventId(), delivery.topic());
                JobState state = s.getValue();
                applyJobState(state, jobs.get(state.trainingJobName())).ifPresent(terminal::add);
                // A new job's row is now in the session: a later state of it in this batch must see it. (A lambda, as
                // a method reference would reach PanacheEntityBase's un-enhanced findById.)
                jobs.computeIfAbsent(state.trainingJobName(), name -> JobStateEntity.findById(name));
            }
        }
        return new ArrayList<>(terminal);
    }

    /** Applies a state to its job's row ({@code j}, null if the job is new). */
    private Optional<String> applyJobState(JobState state, JobStateEntity j) {
        if (j != null && j.terminal) {
            return Optional.empty(); // a finished job never goes back; a repeated terminal state changes nothing
        }
        if (j != null && j.lastModified != null && state.lastModified() != null
                && state.lastModified().isBefore(j.lastModified) && !state.terminal()) {
            return Optional.empty(); // out of order
        }
        if (j == null) {
            j = new JobStateEntity();
            j.trainingJobName = state.trainingJobName();
        }
        j.runId = state.runId();
        j.designId = state.designId();
        j.attempt = state.attempt();
        j.status = state.status();
        j.secondaryStatus = state.secondaryStatus();
        j.lastModified = state.lastModified();
        j.terminal = state.terminal();
        j.failureReason = state.failureReason();
        if (state.terminal()) {
            // The caller finishes it right away; the sweep is for what that misses (a crash, a failed describe).
            j.nextTryAt = Instant.now().plus(SWEEP_GRACE);
        }
        j.persist();
        return state.terminal() ? Optional.of(j.trainingJobName) : Optional.empty();
    }

    @Transactional
    public void recordFinishFailure(String trainingJobName, String error) {
        JobStateEntity j = JobStateEntity.findById(trainingJobName);
        if (j != null) {
            j.describeTries++;
            j.lastError = error;
            // 2, 4, 8 … s, at most 5 min: rides out an outage of SageMaker or the network.
            long backoffSeconds = Math.min(300, 1L << Math.min(j.describeTries, 9));
            j.nextTryAt = Instant.now().plusSeconds(backoffSeconds);
        }
    }
}
