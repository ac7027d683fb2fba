package io.sagebench.monitor.messaging;

import io.sagebench.monitor.config.MonitorConfig;
import io.sagebench.monitor.domain.JobObservation;
import io.sagebench.monitor.domain.RunIdentity;
import io.sagebench.monitor.domain.TransitionRules;
import io.sagebench.monitor.domain.Verdict;
import io.sagebench.monitor.health.MonitorCounters;
import io.sagebench.monitor.repository.JobTransition;
import io.sagebench.monitor.repository.ProcessedEvent;
import io.sagebench.monitor.repository.TrackedJob;
import io.sagebench.monitor.repository.TrackedJobRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * Applies one sighting of a job's state: judges it against the stored state, and for a new state records it and publishes
 * TrainingJobStateChanged, all in one database transaction.
 *
 * <p>Why this is not an outbox: the publish is awaited inside the transaction, before the commit, and the input (the SQS
 * message, or the DescribeTrainingJob answer) is only let go after the commit. If Kafka does not acknowledge, the
 * transaction rolls back and the message is redelivered; if the commit fails after Kafka acknowledged, the message is
 * redelivered and the state is published again with the same deterministic event-id, which consumers dedupe. The SQS
 * message is the durable source until it is deleted, so no state change can be lost between the database and Kafka.
 */
@ApplicationScoped
public class StateChangeRecorder {

    private final TrackedJobRepository jobs;
    private final JobStatePublisher publisher;
    private final MonitorCounters counters;
    private final MonitorConfig config;
    private final Clock clock = Clock.systemUTC();

    public StateChangeRecorder(TrackedJobRepository jobs, JobStatePublisher publisher, MonitorCounters counters,
                               MonitorConfig config) {
        this.jobs = jobs;
        this.publisher = publisher;
        this.counters = counters;
        this.config = config;
    }

    /** A state from an EventBridge event; {@code eventId} may be null when the event had none. */
    @Transactional
    public Verdict recordEvent(JobObservation seen, String jobArn, RunIdentity fromTags, String eventId) {
        if (eventId != null && ProcessedEvent.seen(eventKey(eventId))) {
            counters.increment(MonitorCounters.DUPLICATES);
            return Verdict.DUPLICATE;
        }
        TrackedJob job = lockOrCreate(seen.jobName());
        Verdict verdict = TransitionRules.judge(job.snapshot(), seen);
        if (verdict == Verdict.ACCEPT) {
            publish(job, seen, jobArn, fromTags, TrainingJobStateChanged.SOURCE_EVENT, eventId);
        }
        count(verdict);
        if (eventId != null) {
            ProcessedEvent.remember(eventKey(eventId), now());
        }
        return verdict;
    }

    /** A state read with DescribeTrainingJob for a silent job. */
    @Transactional
    public Verdict recordReconciled(JobObservation described, String jobArn) {
        TrackedJob job = lockOrCreate(described.jobName());
        job.lastCheckedAt = now();
        Verdict verdict = TransitionRules.judgeReconciled(job.snapshot(), described);
        if (verdict == Verdict.ACCEPT) {
            publish(job, described, jobArn, RunIdentity.UNKNOWN, TrainingJobStateChanged.SOURCE_RECONCILE, null);
            counters.increment(MonitorCounters.RECONCILED);
        }
        return verdict;
    }

    /** A silent job DescribeTrainingJob could not answer for (not found, for instance): do not ask again before the next silence. */
    @Transactional
    public void markChecked(String jobName) {
        jobs.lock(jobName).ifPresent(job -> job.lastCheckedAt = now());
    }

    private void publish(TrackedJob job, JobObservation seen, String jobArn, RunIdentity fromTags, String source,
                         String sourceEventId) {
        RunIdentity identity = fromTags
                .orElse(RunIdentity.fromJobName(job.jobName, config.jobNamePrefix()))
                .orElse(job.identity());
        if (jobArn != null) {
            job.jobArn = jobArn;
        }
        job.runId = identity.runId();
        job.designId = identity.designId();
        job.attempt = identity.attempt();
        job.status = seen.status().name();
        job.secondaryStatus = seen.secondaryStatus();
        job.lastModifiedTime = seen.lastModifiedTime();
        job.failureReason = seen.failureReason() != null ? seen.failureReason() : job.failureReason;
        job.terminal = seen.status().terminal();
        job.lastHeardAt = now();

        String eventId = deterministicEventId(seen);
        JobTransition t = new JobTransition();
        t.jobName = job.jobName;
        t.status = job.status;
        t.secondaryStatus = job.secondaryStatus;
        t.lastModifiedTime = job.lastModifiedTime;
        t.failureReason = seen.failureReason();
        t.source = source;
        t.sourceEventId = sourceEventId;
        t.eventId = eventId;
        t.recordedAt = now();
        t.persist();

        publisher.publishAndAwait(new TrainingJobStateChanged(job.jobName, job.jobArn, job.runId, job.designId,
                job.attempt, job.status, job.secondaryStatus, job.lastModifiedTime.toString(), job.failureReason,
                job.terminal, source, sourceEventId), eventId);
    }

    private TrackedJob lockOrCreate(String jobName) {
        return jobs.ensureAndLock(jobName, now());
    }

    private void count(Verdict verdict) {
        counters.increment(switch (verdict) {
            case ACCEPT -> MonitorCounters.PUBLISHED;
            case DUPLICATE -> MonitorCounters.DUPLICATES;
            case REGRESSION -> MonitorCounters.REGRESSIONS;
        });
    }

    /**
     * Same state, same id: if a commit fails after Kafka acknowledged, the redelivered message republishes the state
     * under the same event-id, so idempotent consumers see it once.
     */
    static String deterministicEventId(JobObservation seen) {
        String key = seen.jobName() + '|' + seen.status() + '|' + seen.secondaryStatus() + '|' + seen.lastModifiedTime();
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static String eventKey(String eventBridgeId) {
        return "eventbridge:" + eventBridgeId;
    }

    private Instant now() {
        return clock.instant();
    }
}
