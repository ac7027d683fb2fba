package io.sagebench.results.repository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** What the operational gauges show, read in one short transaction. */
@ApplicationScoped
public class OperationalViews {

    /** Runs planned and not ended; of those, the ones running longer than quoted × factor; the unsent outbox. */
    public record Snapshot(long runsInProgress, long runsOverdue, long outboxBacklog, double outboxOldestAgeSeconds) {
    }

    @Transactional
    public Snapshot snapshot(double overdueFactor, Instant now) {
        // A run has ended with a result, a first launch that failed for good, or a cancel before it ever had a job (the
        // same rules as Progress).
        List<Object[]> inProgress = RunPlanEntity.getEntityManager().createQuery("""
                select p.quoteSeconds, l.launchedAt from RunPlanEntity p
                left join RunLaunchEntity l on l.runId = p.runId
                where not exists (select 1 from RunResultEntity r where r.runId = p.runId)
                  and not (coalesce(l.state, '') = :failed and coalesce(l.retryable, true) = false
                           and coalesce(l.attempt, 1) < 2)
                  and not exists (select 1 from RunCancelEntity c where c.runId = p.runId
                                  and coalesce(l.launched, false) = false
                                  and not exists (select 1 from JobStateEntity j where j.runId = p.runId))""",
                        Object[].class)
                .setParameter("failed", RunLaunchEntity.LAUNCH_FAILED).getResultList();
        long overdue = inProgress.stream().filter(row -> {
            Double quoteSeconds = (Double) row[0];
            Instant launchedAt = (Instant) row[1];
            return quoteSeconds != null && launchedAt != null
                    && launchedAt.plusMillis(Math.round(quoteSeconds * overdueFactor * 1000)).isBefore(now);
        }).count();
        Object[] outbox = OutboxEntity.getEntityManager().createQuery(
                "select count(o), min(o.createdAt) from OutboxEntity o where o.sentAt is null", Object[].class)
                .getSingleResult();
        Instant oldest = (Instant) outbox[1];
        double age = oldest == null ? 0 : Math.max(0, Duration.between(oldest, now).toMillis() / 1000.0);
        return new Snapshot(inProgress.size(), overdue, ((Number) outbox[0]).longValue(), age);
    }
}
