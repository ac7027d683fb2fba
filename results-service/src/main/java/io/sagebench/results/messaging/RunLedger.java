package io.sagebench.results.messaging;

import io.sagebench.contracts.EventType;
import io.sagebench.contracts.Topics;
import io.sagebench.platform.db.CommitOrThrow;
import io.sagebench.results.domain.AttemptCost;
import io.sagebench.results.domain.AttemptVerdict;
import io.sagebench.results.domain.DesignSummary;
import io.sagebench.results.domain.Progress;
import io.sagebench.results.domain.RunPlan;
import io.sagebench.results.domain.RunRecord;
import io.sagebench.results.repository.AttemptVerdictEntity;
import io.sagebench.results.repository.DesignEntity;
import io.sagebench.results.repository.DesignViews;
import io.sagebench.results.repository.JobStateEntity;
import io.sagebench.results.repository.OutboxEntity;
import io.sagebench.results.repository.ProcessedEvent;
import io.sagebench.results.repository.RunAttemptEntity;
import io.sagebench.results.repository.RunCancelEntity;
import io.sagebench.results.repository.RunLaunchEntity;
import io.sagebench.results.repository.RunPlanEntity;
import io.sagebench.results.repository.RunResultEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The write side. Each incoming event is applied in one transaction together with its processed_event row; a result
 * is stored together with its outbox rows (RunResult, and DesignCompleted when it was the design's last run).
 * Each topic writes its own table, so events may arrive in any order across topics: a run is finished as soon as
 * its plan and a terminal job state of its final attempt are there, whichever came last. An attempt is final when its
 * job Completed or Stopped, or when the launcher's RunAttemptEnded for it says no relaunch; a relaunched attempt is
 * priced and kept (run_attempt) and charged to the run when its final attempt finishes it.
 */
@ApplicationScoped
@CommitOrThrow
public class RunLedger {

    private static final Logger LOG = Logger.getLogger(RunLedger.class);
    /**
     * How long the sweep leaves a job that has just become terminal to the consumer that recorded it: during a burst
     * it would otherwise describe and price the same jobs a second time, and wait on the same design lock.
     */
    static final Duration SWEEP_GRACE = Duration.ofSeconds(15);

    @Inject
    DesignViews views;
    @Inject
    Event<ResultsMetrics.Consumed> consumed;
    @Inject
    Event<ResultsMetrics.RunFinished> runFinished;
    @Inject
    Event<ResultsMetrics.LaunchFailedForGood> launchFailedForGood;

    /**
     * A terminal job of a run that has no result yet, with what the finisher needs: whether this attempt is the run's
     * last, whether it was already priced, and the earlier attempts already priced.
     */
    public record PendingRun(RunPlan plan, String trainingJobName, int attempt, String status, AttemptVerdict verdict,
                             boolean attemptPriced, List<AttemptCost> pricedEarlierAttempts, String traceparent) {
    }

    /**
     * Records the event id (false: seen before, a redelivery) and counts the record as consumed once the transaction
     * has committed.
     */
    private boolean firstTime(EventEnvelope env) {
        boolean first = ProcessedEvent.markProcessed(env.eventId(), env.topic());
        consumed.fire(new ResultsMetrics.Consumed(env.topic(), first ? "processed" : "duplicate"));
        return first;
    }

    /** @return the terminal jobs of the run that were already known, so the caller can finish the run now */
    @Transactional
    public List<String> recordRunPlanned(EventEnvelope env, IncomingEvents.PlannedRun planned) {
        if (!firstTime(env)) {
            return List.of();
        }
        RunPlan p = planned.plan();
        if (RunPlanEntity.findById(p.runId()) == null) {
            RunPlanEntity e = RunPlanEntity.from(p);
            e.quoteSeconds = planned.quoteSeconds();
            e.quoteUsd = planned.quoteUsd();
            e.quoteHourlyPrice = planned.quoteHourlyPrice();
            e.quotePriceBook = planned.quotePriceBookVersion();
            e.traceparent = env.traceparent();
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
    public Optional<String> recordAttemptEnded(EventEnvelope env, IncomingEvents.AttemptEnded ended) {
        if (!firstTime(env)) {
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
    public void recordDesignAccepted(EventEnvelope env, IncomingEvents.DesignAccepted accepted) {
        if (!firstTime(env)) {
            return;
        }
        DesignEntity d = DesignEntity.lockOrCreate(accepted.designId());
        d.name = accepted.name();
        d.runCount = accepted.runCount();
        d.runIds = String.join(",", accepted.runIds());
        d.acceptedAt = accepted.acceptedAt() != null ? accepted.acceptedAt() : Instant.now();
        d.reusedRuns = accepted.reusedRuns();
        // Its runs may all have ended before the acceptance arrived.
        completeIfAllEnded(d);
    }

    @Transactional
    public void recordLaunch(EventEnvelope env, IncomingEvents.Launch launch) {
        if (!firstTime(env)) {
            return;
        }
        boolean failedForGood = "RunLaunchFailed".equals(launch.eventType()) && Boolean.FALSE.equals(launch.retryable());
        // Same lock order as storeResult (design first), so the two never deadlock.
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
            flush();
            completeIfAllEnded(design);
        }
    }

    @Transactional
    public void recordCancel(EventEnvelope env, IncomingEvents.CancelRequest cancel) {
        if (!firstTime(env)) {
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
            flush();
        }
        completeIfAllEnded(design);
    }

    /** @return the job's name when it has just become terminal, so the caller can finish its run */
    @Transactional
    public Optional<String> recordJobState(EventEnvelope env, IncomingEvents.JobState state) {
        return firstTime(env) ? applyJobState(state, JobStateEntity.findById(state.trainingJobName()))
                : Optional.empty();
    }

    /**
     * A batch of job states in one transaction, applied in record order (a job's later state in the same batch sees
     * its earlier one), so a burst of terminal states costs one commit instead of one each.
     *
     * @return the jobs that have just become terminal, each once, in record order
     */
    @Transactional
    public List<String> recordJobStates(List<Map.Entry<EventEnvelope, IncomingEvents.JobState>> states) {
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
        for (Map.Entry<EventEnvelope, IncomingEvents.JobState> s : states) {
            EventEnvelope env = s.getKey();
            boolean first = processed.add(env.eventId());
            consumed.fire(new ResultsMetrics.Consumed(env.topic(), first ? "processed" : "duplicate"));
            if (first) {
                ProcessedEvent.record(env.eventId(), env.topic());
                IncomingEvents.JobState state = s.getValue();
                applyJobState(state, jobs.get(state.trainingJobName())).ifPresent(terminal::add);
                // A new job's row is now in the session: a later state of it in this batch must see it. (A lambda, as
                // a method reference would reach PanacheEntityBase's un-enhanced findById.)
                jobs.computeIfAbsent(state.trainingJobName(), name -> JobStateEntity.findById(name));
            }
        }
        return new ArrayList<>(terminal);
    }

    /** Applies a state to its job's row ({@code j}, null if the job is new). */
    private Optional<String> applyJobState(IncomingEvents.JobState state, JobStateEntity j) {
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

    /** The run a terminal job belongs to, if its plan is known and it has no result yet. */
    @Transactional
    public Optional<PendingRun> pending(String trainingJobName) {
        return pendingOf(trainingJobName);
    }

    /**
     * {@link #pending} for several jobs, read in one transaction with one query per table (not five per job), in the
     * order given.
     */
    @Transactional
    public List<PendingRun> pendingAll(Collection<String> trainingJobNames) {
        if (trainingJobNames.isEmpty()) {
            return List.of();
        }
        List<String> names = List.copyOf(new LinkedHashSet<>(trainingJobNames));
        Map<String, JobStateEntity> jobs = new HashMap<>();
        JobStateEntity.<JobStateEntity>list("trainingJobName in ?1 and terminal = true", names)
                .forEach(j -> jobs.put(j.trainingJobName, j));
        if (jobs.isEmpty()) {
            return List.of();
        }
        Set<String> runIds = new HashSet<>();
        jobs.values().forEach(j -> runIds.add(j.runId));
        Set<String> withResult = new HashSet<>(RunResultEntity.getEntityManager()
                .createQuery("select r.runId from RunResultEntity r where r.runId in :ids", String.class)
                .setParameter("ids", runIds).getResultList());
        Map<String, RunPlanEntity> plans = new HashMap<>();
        RunPlanEntity.<RunPlanEntity>list("runId in ?1", runIds).forEach(p -> plans.put(p.runId, p));
        Map<String, AttemptVerdictEntity> verdicts = new HashMap<>();
        AttemptVerdictEntity.<AttemptVerdictEntity>list("trainingJobName in ?1", names)
                .forEach(v -> verdicts.put(v.trainingJobName, v));
        Map<String, List<RunAttemptEntity>> attempts = new HashMap<>();
        RunAttemptEntity.<RunAttemptEntity>list("runId in ?1 order by attempt", runIds)
                .forEach(a -> attempts.computeIfAbsent(a.runId, k -> new ArrayList<>()).add(a));
        List<PendingRun> out = new ArrayList<>();
        for (String name : names) {
            JobStateEntity j = jobs.get(name);
            if (j == null || withResult.contains(j.runId)) {
                continue;
            }
            RunPlanEntity plan = plans.get(j.runId);
            if (plan != null) {
                out.add(pendingRun(j, plan, verdicts.get(name), attempts.getOrDefault(j.runId, List.of())));
            }
        }
        return out;
    }

    private Optional<PendingRun> pendingOf(String trainingJobName) {
        JobStateEntity j = JobStateEntity.findById(trainingJobName);
        if (j == null || !j.terminal || RunResultEntity.findById(j.runId) != null) {
            return Optional.empty();
        }
        RunPlanEntity plan = RunPlanEntity.findById(j.runId);
        if (plan == null) {
            return Optional.empty();
        }
        return Optional.of(pendingRun(j, plan, AttemptVerdictEntity.findById(trainingJobName),
                RunAttemptEntity.ofRun(j.runId)));
    }

    /** @param priced the run's priced attempts, by attempt */
    private static PendingRun pendingRun(JobStateEntity j, RunPlanEntity plan, AttemptVerdictEntity launcherSaid,
                                         List<RunAttemptEntity> priced) {
        AttemptVerdict verdict = AttemptVerdict.of(j.status, launcherSaid == null ? null : launcherSaid.relaunch);
        boolean attemptPriced = priced.stream().anyMatch(a -> a.trainingJobName.equals(j.trainingJobName));
        List<AttemptCost> earlier = priced.stream().filter(a -> a.attempt < j.attempt).map(RunAttemptEntity::toDomain)
                .toList();
        return new PendingRun(plan.toDomain(), j.trainingJobName, j.attempt, j.status, verdict, attemptPriced,
                earlier, plan.traceparent);
    }

    /** Keeps a priced attempt that is not (or not yet known to be) its run's last, unless it is stored already. */
    private static void keepAttempt(String runId, String designId, AttemptCost attempt, Set<String> haveAttempt) {
        if (haveAttempt.add(attempt.trainingJobName())) {
            RunAttemptEntity.from(runId, designId, attempt).persist();
            LOG.infof("run %s attempt %d %s: %d billable s, %s USD charged to the run", runId, attempt.attempt(),
                    attempt.status(), attempt.billableSeconds(), attempt.costUsd().toPlainString());
        }
    }

    @Transactional
    public List<String> awaitingResult(int maxDescribeTries, int limit) {
        return JobStateEntity.awaitingResult(maxDescribeTries, limit);
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

    /**
     * Stores the run's one result and queues its RunResult; queues DesignCompleted if it was the design's last run.
     *
     * @return false when the run already had a result (redelivery, or the finisher raced the consumer)
     */
    @Transactional
    public boolean storeResult(RunRecord record, List<AttemptCost> attempts) {
        return storeAll(List.of(Finished.result(record, attempts, null))) > 0;
    }

    /**
     * What the finisher priced for one ended job: its run's result (with every attempt charged), or only the attempt,
     * kept for when the run ends.
     */
    public record Finished(String trainingJobName, String runId, String designId, RunRecord result,
                           List<AttemptCost> attempts, String traceparent) {
        /** @param traceparent what the RunResult carries: the design's trace (null: none known) */
        public static Finished result(RunRecord record, List<AttemptCost> attempts, String traceparent) {
            return new Finished(record.trainingJobName(), record.runId(), record.designId(), record, attempts,
                    traceparent);
        }

        public static Finished attemptOnly(String runId, String designId, AttemptCost attempt) {
            return new Finished(attempt.trainingJobName(), runId, designId, null, List.of(attempt), null);
        }
    }

    /**
     * Stores a batch of finished jobs in one transaction: kept attempts, and results each with their RunResult in the
     * outbox; then DesignCompleted for every design whose last run this was. Designs are locked first, in id order,
     * so two batches (or a batch and a single-design writer) never deadlock, and completion is decided under the lock.
     *
     * @return how many results were stored (a run that already had one is skipped)
     */
    @Transactional
    public int storeAll(List<Finished> batch) {
        Map<String, DesignEntity> designs = new TreeMap<>();
        batch.stream().map(Finished::designId).distinct().sorted()
                .forEach(id -> designs.put(id, DesignEntity.lockOrCreate(id)));
        // What is stored already, in two queries for the whole batch (one SELECT per run was a third of the time)
        Set<String> haveResult = existing("select r.runId from RunResultEntity r where r.runId in :ids",
                batch.stream().filter(f -> f.result() != null).map(Finished::runId).toList());
        Set<String> haveAttempt = existing(
                "select a.trainingJobName from RunAttemptEntity a where a.trainingJobName in :ids",
                batch.stream().flatMap(f -> f.attempts().stream()).map(AttemptCost::trainingJobName).toList());
        Set<String> withNewResults = new TreeSet<>();
        List<OutboxEntity.Row> announcements = new ArrayList<>();
        for (Finished f : batch) {
            if (f.result() == null) {
                f.attempts().forEach(a -> keepAttempt(f.runId(), f.designId(), a, haveAttempt));
            } else if (haveResult.add(f.runId())) {
                announcements.add(insertResult(f.result(), f.attempts(), f.traceparent(), haveAttempt));
                withNewResults.add(f.designId());
            }
        }
        OutboxEntity.enqueueAll(announcements);
        int stored = announcements.size();
        if (stored > 0) {
            flush();
            withNewResults.forEach(id -> completeIfAllEnded(designs.get(id)));
            LOG.infof("stored %d result(s) of %d design(s)", stored, withNewResults.size());
        }
        return stored;
    }

    /** Ids among {@code ids} that the JPQL {@code query} (with parameter {@code ids}) finds, as a mutable set. */
    private static Set<String> existing(String query, List<String> ids) {
        if (ids.isEmpty()) {
            return new HashSet<>();
        }
        return new HashSet<>(RunResultEntity.getEntityManager().createQuery(query, String.class)
                .setParameter("ids", ids).getResultList());
    }

    /**
     * Called for a run without a stored result; {@code haveAttempt} holds the attempts stored so far, and grows.
     *
     * @return the RunResult to enqueue in the outbox
     */
    private OutboxEntity.Row insertResult(RunRecord record, List<AttemptCost> attempts, String traceparent,
                                          Set<String> haveAttempt) {
        for (AttemptCost a : attempts) {
            if (haveAttempt.add(a.trainingJobName())) {
                RunAttemptEntity.from(record.runId(), record.designId(), a).persist();
            }
        }
        RunResultEntity.from(record).persist();
        runFinished.fire(new ResultsMetrics.RunFinished(record));
        LOG.debugf("run %s %s after %d attempt(s): %d billable s, %s USD (%s)", record.runId(), record.status(),
                record.attempts(), record.billableSeconds(), record.costUsd().toPlainString(), record.priceBookVersion());
        return new OutboxEntity.Row(Topics.RESULTS, record.runId(), EventType.RunResult.name(), EventPayloads.runResult(record).toString(),
                traceparent);
    }

    /** Called with the design row locked. */
    private void completeIfAllEnded(DesignEntity design) {
        if (design.completedAt != null || design.runCount == null) {
            return;
        }
        // Cheap upper bound on the runs that have ended, so the full progress is only assembled near the end.
        long mayHaveEnded = RunResultEntity.count("designId", design.designId)
                + RunLaunchEntity.count("designId = ?1 and state = ?2 and retryable = false", design.designId,
                RunLaunchEntity.LAUNCH_FAILED)
                + RunCancelEntity.count("designId", design.designId);
        if (mayHaveEnded < design.runCount) {
            return;
        }
        Progress progress = views.progressOf(design.designId, design);
        if (!progress.allEnded()) {
            return;
        }
        design.completedAt = Instant.now();
        DesignSummary summary = DesignSummary.of(progress, views.results(design.designId), design.completedAt);
        // The design's trace: the one its first planned run carried.
        OutboxEntity.enqueue(Topics.DESIGN_STATUS, design.designId, EventType.DesignCompleted.name(),
                EventPayloads.designCompleted(summary).toString(), RunPlanEntity.firstTraceparent(design.designId));
        LOG.infof("design %s completed: %d runs, %s USD", design.designId, summary.runCount(),
                summary.totalCostUsd().toPlainString());
    }

    /** Writes pending inserts before the completion check counts rows with queries. */
    private static void flush() {
        RunResultEntity.getEntityManager().flush();
    }
}
