package io.sagebench.results.app;

import io.sagebench.contracts.EventType;
import io.sagebench.contracts.Topics;
import io.sagebench.platform.db.CommitOrThrow;
import io.sagebench.results.domain.AttemptCost;
import io.sagebench.results.domain.DesignSummary;
import io.sagebench.results.domain.Progress;
import io.sagebench.results.domain.RunRecord;
import io.sagebench.results.repository.DesignEntity;
import io.sagebench.results.repository.OutboxEntity;
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

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Stores what the finisher priced: a result together with its RunResult in the outbox, and DesignCompleted in the
 * outbox when it was its design's last run; a relaunched attempt is kept (run_attempt) and charged to the run when its
 * final attempt finishes it.
 */
@ApplicationScoped
@CommitOrThrow
public class ResultStore {

    private static final Logger LOG = Logger.getLogger(ResultStore.class);

    @Inject
    DesignQueries queries;
    @Inject
    OutgoingEvents events;
    @Inject
    Event<ResultsMetrics.RunFinished> runFinished;

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
        // What is stored already, in one query per table for the whole batch
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

    /**
     * Marks the design completed and queues its DesignCompleted when every run has ended. Called with the design row
     * locked, in the caller's transaction, after its inserts were flushed.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void completeIfAllEnded(DesignEntity design) {
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
        Progress progress = queries.progressOf(design.designId, design);
        if (!progress.allEnded()) {
            return;
        }
        design.completedAt = Instant.now();
        DesignSummary summary = DesignSummary.of(progress, queries.results(design.designId), design.completedAt);
        // The design's trace: the one its first planned run carried.
        OutboxEntity.enqueue(Topics.DESIGN_STATUS, design.designId, EventType.DesignCompleted.name(),
                events.designCompleted(summary), RunPlanEntity.firstTraceparent(design.designId));
        LOG.infof("design %s completed: %d runs, %s USD", design.designId, summary.runCount(),
                summary.totalCostUsd().toPlainString());
    }

    /** Writes pending inserts before the completion check counts rows with queries. */
    static void flush() {
        RunResultEntity.getEntityManager().flush();
    }

    /** Ids among {@code ids} that the JPQL {@code query} (with parameter {@code ids}) finds, as a mutable set. */
    private static Set<String> existing(String query, List<String> ids) {
        if (ids.isEmpty()) {
            return new HashSet<>();
        }
        return new HashSet<>(RunResultEntity.getEntityManager().createQuery(query, String.class)
                .setParameter("ids", ids).getResultList());
    }

    /** Keeps a priced attempt that is not (or not yet known to be) its run's last, unless it is stored already. */
    private static void keepAttempt(String runId, String designId, AttemptCost attempt, Set<String> haveAttempt) {
        if (haveAttempt.add(attempt.trainingJobName())) {
            RunAttemptEntity.from(runId, designId, attempt).persist();
            LOG.infof("run %s attempt %d %s: %d billable s, %s USD charged to the run", runId, attempt.attempt(),
                    attempt.status(), attempt.billableSeconds(), attempt.costUsd().toPlainString());
        }
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
        return new OutboxEntity.Row(Topics.RESULTS, record.runId(), EventType.RunResult.name(),
                events.runResult(record), traceparent);
    }
}
