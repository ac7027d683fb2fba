package io.sagebench.monitor.repository;

import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Instant;
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

    public Optional<TrackedJob> find(String jobName) {
        return TrackedJob.findByIdOptional(jobName);
    }

    /** Non-terminal jobs not heard from and not checked since {@code cutoff}, most overdue first. */
    public List<TrackedJob> silentSince(Instant cutoff, int limit) {
        return TrackedJob.find("terminal = false and lastHeardAt < :cutoff"
                                + " and (lastCheckedAt is null or lastCheckedAt < :cutoff) order by lastHeardAt",
                        Parameters.with("cutoff", cutoff))
                .page(0, limit).list();
    }
}
