package io.sagebench.monitor.app;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.sagebench.monitor.domain.LaunchedJob;
import io.sagebench.monitor.domain.RunIdentity;
import io.sagebench.monitor.repository.ProcessedEvent;
import io.sagebench.monitor.repository.TrackedJob;
import io.sagebench.monitor.repository.TrackedJobRepository;
import io.sagebench.platform.db.CommitOrThrow;

/**
 * Learns a launched job from its RunLaunched, so a job whose events are all lost is still reconciled, its run, design,
 * cell and attempt are known even without tags, and its states travel in the design's trace. One transaction per
 * record; {@code @CommitOrThrow} makes a transaction a dead connection marked rollback-only throw instead of passing
 * as learned.
 */
@ApplicationScoped
public class LaunchLearning {
    private static final Logger LOG = Logger.getLogger(LaunchLearning.class);

    private final TrackedJobRepository jobs;

    public LaunchLearning(TrackedJobRepository jobs) {
        this.jobs = jobs;
    }

    /** @return false when this record was already handled */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    @CommitOrThrow
    public boolean learn(String key, LaunchedJob launch, String traceparent) {
        if (ProcessedEvent.seen(key)) {
            return false;
        }
        Instant now = Instant.now();
        TrackedJob job = jobs.ensureAndLock(launch.jobName(), now);
        // bench.launches fills in only what the job's own events (tags, name) have not already told us.
        RunIdentity merged = job.identity().orElse(launch.identity());
        job.runId = merged.runId();
        job.designId = merged.designId();
        job.attempt = merged.attempt();
        if (job.cellId == null) {
            job.cellId = launch.cellId();
        }
        if (job.jobArn == null) {
            job.jobArn = launch.jobArn();
        }
        if (job.launchedAt == null) {
            job.launchedAt = launch.launchedAt() != null ? launch.launchedAt() : now;
        }
        // The launch's trace is the design's: every later state of the job is published in it.
        if (traceparent != null) {
            job.traceparent = traceparent;
        }
        ProcessedEvent.remember(key, now);
        LOG.debugf("learned launch of %s (run %s)", launch.jobName(), job.runId);
        return true;
    }
}
