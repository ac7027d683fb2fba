package io.sagebench.monitor.app;

import io.quarkus.scheduler.Scheduled;
import io.sagebench.monitor.config.MonitorConfig;
import io.sagebench.monitor.domain.JobObservation;
import io.sagebench.monitor.domain.JobStatus;
import io.sagebench.monitor.domain.Verdict;
import io.sagebench.monitor.domain.RunIdentity;
import io.sagebench.monitor.repository.TrackedJob;
import io.sagebench.monitor.repository.TrackedJobRepository;
import io.sagebench.platform.tracing.LogContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Asks DescribeTrainingJob about jobs that are not terminal and have been silent for `sagebench.monitor.silence`, or are
 * past their expected end, so a job whose events were lost still reaches its real (terminal) state on bench.job-states. Gentle on the API: at most
 * `reconcile-batch` calls per pass, a pause between calls, and a pass ends early (and the next ones are skipped, growing)
 * when SageMaker throttles.
 */
@ApplicationScoped
public class Reconciler {

    private static final Logger LOG = Logger.getLogger(Reconciler.class);
    private static final int MAX_SKIPPED_PASSES = 16;

    private final SageMakerClient sageMaker;
    private final TrackedJobRepository jobs;
    private final JobStateJudge judge;
    private final MonitorMetrics metrics;
    private final MonitorConfig config;

    private int passesToSkip;
    private int throttleStreak;

    public Reconciler(SageMakerClient sageMaker, TrackedJobRepository jobs, JobStateJudge judge,
                      MonitorMetrics metrics, MonitorConfig config) {
        this.sageMaker = sageMaker;
        this.jobs = jobs;
        this.judge = judge;
        this.metrics = metrics;
        this.config = config;
    }

    @Scheduled(every = "${sagebench.monitor.reconcile-every}", delayed = "${sagebench.monitor.reconcile-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reconcileSilentJobs() {
        if (passesToSkip > 0) {
            passesToSkip--;
            return;
        }
        for (String jobName : silentJobs()) {
            if (!check(jobName)) {
                return;
            }
            pause(config.reconcilePause());
        }
    }

    @Transactional
    List<String> silentJobs() {
        Instant now = Instant.now();
        return jobs.dueForCheck(now.minus(config.silence()), now, config.reconcileBatch())
                .stream().map(j -> j.jobName).toList();
    }

    /** @return false when SageMaker throttled and this pass should stop */
    boolean check(String jobName) {
        RunIdentity identity = RunIdentity.fromJobName(jobName, config.jobNamePrefix());
        try (LogContext log = LogContext.of(identity.designId(), identity.runId()).with("jobName", jobName)) {
            return describeAndRecord(jobName);
        }
    }

    private boolean describeAndRecord(String jobName) {
        DescribeTrainingJobResponse described;
        try {
            described = sageMaker.describeTrainingJob(b -> b.trainingJobName(jobName));
        } catch (SageMakerException e) {
            metrics.reconciliation(MonitorMetrics.RECONCILE_FAILED);
            if (e.isThrottlingException()) {
                backOff("DescribeTrainingJob throttled");
                return false;
            }
            LOG.warnf("DescribeTrainingJob %s failed: %s", jobName, e.awsErrorDetails() == null ? e.getMessage()
                    : e.awsErrorDetails().errorCode() + " " + e.awsErrorDetails().errorMessage());
            judge.markChecked(jobName);
            return true;
        } catch (SdkException e) {
            // SageMaker unreachable: this job waits its turn again, and the next passes are skipped, growing.
            metrics.reconciliation(MonitorMetrics.RECONCILE_FAILED);
            judge.markChecked(jobName);
            backOff("DescribeTrainingJob " + jobName + " failed: " + e.getMessage());
            return false;
        }
        throttleStreak = 0;
        Optional<JobStatus> status = JobStatus.parse(described.trainingJobStatusAsString());
        if (status.isEmpty()) {
            metrics.reconciliation(MonitorMetrics.RECONCILE_FAILED);
            judge.markChecked(jobName);
            return true;
        }
        metrics.received(MonitorMetrics.SOURCE_RECONCILE);
        Instant lastModified = Optional.ofNullable(described.lastModifiedTime()).orElse(Instant.now())
                .truncatedTo(ChronoUnit.MILLIS);
        String secondary = described.secondaryStatusAsString() == null ? status.get().name()
                : described.secondaryStatusAsString();
        Verdict verdict = judge.recordReconciled(new JobObservation(jobName, status.get(), secondary, lastModified,
                described.failureReason()), described.trainingJobArn());
        if (verdict == Verdict.ACCEPT) {
            metrics.reconciliation(MonitorMetrics.RECONCILE_CORRECTED);
            metrics.published(MonitorMetrics.SOURCE_RECONCILE);
            LOG.infof("reconciled silent job %s: %s/%s", jobName, status.get(), secondary);
        } else {
            metrics.reconciliation(MonitorMetrics.RECONCILE_UNCHANGED);
        }
        return true;
    }

    private void backOff(String why) {
        throttleStreak++;
        passesToSkip = Math.min(MAX_SKIPPED_PASSES, 1 << Math.min(4, throttleStreak - 1));
        LOG.warnf("%s; pausing reconciliation for %d passes", why, passesToSkip);
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
