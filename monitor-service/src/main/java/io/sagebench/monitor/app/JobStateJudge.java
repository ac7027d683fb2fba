package io.sagebench.monitor.app;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.sagebench.contracts.ids.Ids;
import io.sagebench.contracts.ids.JobTags;
import io.sagebench.monitor.config.MonitorConfig;
import io.sagebench.monitor.domain.JobObservation;
import io.sagebench.monitor.domain.JobStateChange;
import io.sagebench.monitor.domain.RunIdentity;
import io.sagebench.monitor.domain.TrainingJobEvent;
import io.sagebench.monitor.domain.TransitionRules;
import io.sagebench.monitor.domain.Verdict;
import io.sagebench.monitor.repository.JobTransition;
import io.sagebench.monitor.repository.ProcessedEvent;
import io.sagebench.monitor.repository.TrackedJob;
import io.sagebench.monitor.repository.TrackedJobRepository;
import io.sagebench.platform.db.CommitOrThrow;
import io.sagebench.platform.tracing.LogContext;
import io.sagebench.platform.tracing.Traceparent;

/**
 * Applies sightings of jobs' states: judges each against the stored state (in order per job, duplicates dropped), and
 * for a new state merges the job's identity, records the transition and publishes it ({@link JobStatePublishing}), all
 * in one database transaction (per SQS receive batch, or per reconciled job).
 *
 * <p>Why this is not an outbox: the publish is awaited inside the transaction, before the commit, and the input (the SQS
 * message, or the DescribeTrainingJob answer) is only let go after the commit. If Kafka does not acknowledge, the
 * transaction rolls back and the message is redelivered; if the commit fails after Kafka acknowledged, the message is
 * redelivered and the state is published again with the same deterministic event-id, which consumers dedupe. The SQS
 * message is the durable source until it is deleted, so no state change can be lost between the database and Kafka.
 */
@ApplicationScoped
public class JobStateJudge {

    private final TrackedJobRepository jobs;
    private final JobStatePublishing publishing;
    private final MonitorConfig config;
    private final Clock clock = Clock.systemUTC();

    public JobStateJudge(TrackedJobRepository jobs, JobStatePublishing publishing, MonitorConfig config) {
        this.jobs = jobs;
        this.publishing = publishing;
        this.config = config;
    }

    /**
     * A batch of states from EventBridge events, in one transaction: the jobs' rows locked (in name order), each job's
     * events applied oldest first (so two of its changes that arrived swapped in one batch are both published, in
     * order), every accepted state sent at once, and every acknowledgement awaited before the commit.
     *
     * @return the verdict of each event, in the input order
     * @throws RuntimeException if Kafka did not acknowledge every send: everything rolls back and the messages stay
     */
    @Transactional
    @CommitOrThrow
    public List<Verdict> recordEvents(List<TrainingJobEvent> events) {
        Instant now = now();
        Set<String> seenIds = ProcessedEvent.seenAmong(events.stream().map(TrainingJobEvent::eventId)
                .filter(Objects::nonNull).map(JobStateJudge::eventKey).distinct().toList());
        Map<String, TrackedJob> jobsByName = jobs.ensureAndLockAll(
                events.stream().map(TrainingJobEvent::jobName).toList(), now);

        Verdict[] verdicts = new Verdict[events.size()];
        List<JobTransition> transitions = new ArrayList<>();
        List<String> newIds = new ArrayList<>();
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (int i : perJobOldestFirst(events)) {
            TrainingJobEvent event = events.get(i);
            String key = event.eventId() == null ? null : eventKey(event.eventId());
            if (key != null && !seenIds.add(key)) {
                verdicts[i] = Verdict.DUPLICATE;
                continue;
            }
            TrackedJob job = jobsByName.get(event.jobName());
            try (LogContext log = logContext(job)) {
                expectEnd(job, event.maxRunSeconds(), now);
                learnFromTags(job, event.tags());
                verdicts[i] = TransitionRules.judge(job.snapshot(), event.observation());
                if (verdicts[i] == Verdict.ACCEPT) {
                    JobTransition t = apply(job, event.observation(), event.jobArn(), RunIdentity.fromTags(event.tags()),
                            JobStateChange.SOURCE_EVENT, event.eventId(), now);
                    transitions.add(t);
                    acks.add(publishing.publish(job, JobStateChange.SOURCE_EVENT, event.eventId(), t.eventId));
                }
            }
            if (key != null) {
                newIds.add(key);
            }
        }
        JobTransition.insertAll(transitions);
        ProcessedEvent.rememberAll(newIds, now);
        publishing.awaitAll(acks);
        return Arrays.asList(verdicts);
    }

    /** A state read with DescribeTrainingJob for a silent job. */
    @Transactional
    @CommitOrThrow
    public Verdict recordReconciled(JobObservation described, String jobArn) {
        TrackedJob job = jobs.ensureAndLock(described.jobName(), now());
        job.lastCheckedAt = now();
        Verdict verdict = TransitionRules.judgeReconciled(job.snapshot(), described);
        if (verdict == Verdict.ACCEPT) {
            JobTransition t = apply(job, described, jobArn, RunIdentity.UNKNOWN, JobStateChange.SOURCE_RECONCILE, null,
                    now());
            t.persist();
            publishing.await(job.jobName, publishing.publish(job, JobStateChange.SOURCE_RECONCILE, null, t.eventId));
        }
        return verdict;
    }

    /** A silent job DescribeTrainingJob could not answer for (not found, for instance): do not ask again before the next silence. */
    @Transactional
    @CommitOrThrow
    public void markChecked(String jobName) {
        jobs.lock(jobName).ifPresent(job -> job.lastCheckedAt = now());
    }

    /** The events' indexes by job, then by LastModifiedTime, then by status rank. */
    private static Integer[] perJobOldestFirst(List<TrainingJobEvent> events) {
        Integer[] order = new Integer[events.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.<Integer, String>comparing(i -> events.get(i).jobName())
                .thenComparing(i -> events.get(i).lastModifiedTime())
                .thenComparingInt(i -> events.get(i).status().rank()));
        return order;
    }

    /**
     * What the launcher's tags add: the cell, and the design's trace when the job's events arrive before its RunLaunched
     * (the tag {@code sagebench:traceparent}, when the launcher sets one).
     */
    private static void learnFromTags(TrackedJob job, Map<String, String> tags) {
        if (tags == null) {
            return;
        }
        if (job.cellId == null) {
            String cellId = tags.get(JobTags.CELL_ID);
            job.cellId = Ids.isCellId(cellId) ? cellId : null;
        }
        if (job.traceparent == null) {
            job.traceparent = Traceparent.valid(tags.get(JobTags.TRACEPARENT));
        }
    }

    /** The job's ids in the log lines of its handling; closing clears them (the poller's thread goes on to other jobs). */
    private static LogContext logContext(TrackedJob job) {
        return LogContext.of(job.designId, job.runId).with("jobName", job.jobName);
    }

    /**
     * Moves the job to the seen state and returns the transition to store (not yet persisted). Identity: the tags win,
     * then the job name, then what the job already knew (from RunLaunched).
     */
    private JobTransition apply(TrackedJob job, JobObservation seen, String jobArn, RunIdentity fromTags, String source,
                                String sourceEventId, Instant now) {
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
        job.lastHeardAt = now;

        JobTransition t = new JobTransition();
        t.jobName = job.jobName;
        t.status = job.status;
        t.secondaryStatus = job.secondaryStatus;
        t.lastModifiedTime = job.lastModifiedTime;
        t.failureReason = seen.failureReason();
        t.source = source;
        t.sourceEventId = sourceEventId;
        t.eventId = deterministicEventId(seen);
        t.recordedAt = now;
        return t;
    }

    /**
     * Sets, once, when the job should have ended: its run bound (from the event, else the configured default) plus the
     * grace, after it was launched or else first seen.
     */
    private void expectEnd(TrackedJob job, Long maxRunSeconds, Instant now) {
        if (job.expectedEndAt != null) {
            return;
        }
        Instant base = job.launchedAt != null ? job.launchedAt : now;
        Duration bound = maxRunSeconds != null ? Duration.ofSeconds(maxRunSeconds) : config.defaultMaxRun();
        job.expectedEndAt = base.plus(bound).plus(config.expectedEndGrace());
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
