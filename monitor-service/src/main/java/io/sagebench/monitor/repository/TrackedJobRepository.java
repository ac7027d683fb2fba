package io.sagebench.monitor.repository;

import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class TrackedJobRepository {

    /** The job's row locked for the rest of the transaction (the poller and the reconciler may touch one job at once). */
    public Optional<TrackedJob> lock(String jobName) {
        return TrackedJob.findByIdOptional(jobName, LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * The job's row, created if new, locked for the rest of the transaction. INSERT IGNORE makes the creation race-free
     * when the poller, the reconciler and the launches consumer first meet one job at the same time.
     */
    public TrackedJob ensureAndLock(String jobName, Instant now) {
        TrackedJob.getEntityManager().createNativeQuery(
                        "INSERT IGNORE INTO tracked_job (job_name, last_heard_at, terminal, version) VALUES (?1, ?2, FALSE, 0)")
                .setParameter(1, jobName)
                .setParameter(2, now)
                .executeUpdate();
        return lock(jobName).orElseThrow();
    }

    /**
     * The rows of all these jobs, created if new, locked for the rest of the transaction in job-name order (so two
     * transactions locking several jobs cannot deadlock), keyed by job name.
     */
    public Map<String, TrackedJob> ensureAndLockAll(Collection<String> jobNames, Instant now) {
        List<String> sorted = jobNames.stream().distinct().sorted().toList();
        if (sorted.isEmpty()) {
            return Map.of();
        }
        StringBuilder sql = new StringBuilder(
                "INSERT IGNORE INTO tracked_job (job_name, last_heard_at, terminal, version) VALUES ");
        for (int i = 0; i < sorted.size(); i++) {
            sql.append(i == 0 ? "" : ",").append("(?").append(2 * i + 1).append(",?").append(2 * i + 2).append(",FALSE,0)");
        }
        var insert = TrackedJob.getEntityManager().createNativeQuery(sql.toString());
        for (int i = 0; i < sorted.size(); i++) {
            insert.setParameter(2 * i + 1, sorted.get(i));
            insert.setParameter(2 * i + 2, now);
        }
        insert.executeUpdate();
        Map<String, TrackedJob> byName = new HashMap<>();
        TrackedJob.<TrackedJob>find("jobName in ?1 order by jobName", sorted)
                .withLock(LockModeType.PESSIMISTIC_WRITE).list()
                .forEach(j -> byName.put(j.jobName, j));
        return byName;
    }

    public Optional<TrackedJob> find(String jobName) {
        return TrackedJob.findByIdOptional(jobName);
    }

    /**
     * Non-terminal jobs not heard from since {@code cutoff}, or past their expected end at {@code now}, and not checked
     * since {@code cutoff} (so an overdue job is asked about once per silence, not on every pass), most overdue first.
     */
    public List<TrackedJob> dueForCheck(Instant cutoff, Instant now, int limit) {
        return TrackedJob.find("terminal = false and (lastHeardAt < :cutoff or expectedEndAt < :now)"
                                + " and (lastCheckedAt is null or lastCheckedAt < :cutoff) order by lastHeardAt",
                        Parameters.with("cutoff", cutoff).and("now", now))
                .page(0, limit).list();
    }
}
