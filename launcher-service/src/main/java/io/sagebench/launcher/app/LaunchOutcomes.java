package io.sagebench.launcher.app;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.sagebench.launcher.config.LauncherConfig;
import io.sagebench.launcher.domain.FailureClass;
import io.sagebench.launcher.domain.JobFailurePolicy;
import io.sagebench.launcher.domain.LaunchFailure;
import io.sagebench.launcher.domain.LaunchState;
import io.sagebench.launcher.domain.RetryPolicy;
import io.sagebench.launcher.repository.LaunchEntity;
import io.sagebench.launcher.repository.LaunchRepository;
import io.sagebench.launcher.repository.ProcessedEventRepository;
import io.sagebench.platform.db.CommitOrThrow;

/**
 * What became of a launch: the CreateTrainingJob or StopTrainingJob call's outcome, and the job's end, with the
 * relaunch policy. Each in one transaction with the events it publishes (outbox).
 */
@ApplicationScoped
public class LaunchOutcomes {
    private static final Logger LOG = Logger.getLogger(LaunchOutcomes.class);

    @Inject
    LaunchRepository launches;
    @Inject
    ProcessedEventRepository processed;
    @Inject
    EventOutbox outbox;
    @Inject
    RetryPolicy retry;
    @Inject
    LauncherConfig config;
    @Inject
    LaunchChanges changes;

    @Transactional
    @CommitOrThrow
    public void launched(String runId, int attempt, String jobName, String arn) {
        Instant now = Instant.now();
        LaunchEntity l = launches.lock(runId).orElseThrow();
        if (l.attempt != attempt) {
            return;
        }
        l.trainingJobArn = arn;
        l.launchedAt = now;
        l.updatedAt = now;
        l.deferReason = null;
        l.setError(null);
        if (l.state == LaunchState.LAUNCHING || l.state == LaunchState.PENDING) {
            l.state = l.cancelRequested ? LaunchState.STOPPING : LaunchState.LAUNCHED;
            l.nextAttemptAt = l.cancelRequested ? now : null;
        }
        outbox.launches(runId, new LaunchEvents.RunLaunched(runId, l.designId, l.cellId, attempt, jobName, arn,
                l.instanceType, l.instanceCount, now.toString()), l.traceparent);
    }

    @Transactional
    @CommitOrThrow
    public void launchFailed(String runId, int attempt, String jobName, LaunchFailure failure) {
        Instant now = Instant.now();
        LaunchEntity l = launches.lock(runId).orElseThrow();
        if (l.attempt != attempt || l.state != LaunchState.LAUNCHING) {
            return;
        }
        if (l.cancelRequested) {
            changes.releaseQuota(l, now);
            LaunchChanges.uncharge(l);
            l.state = LaunchState.CANCELLED;
            l.nextAttemptAt = null;
            l.setError(failure.message());
            changes.callOffRelaunch(l, now, LaunchChanges.CALLED_OFF_CANCELLED);
            return;
        }
        switch (failure.action()) {
            case DEFER -> {
                changes.releaseQuota(l, now);
                LaunchChanges.uncharge(l);
                String reason = failure.failureClass() == FailureClass.QUOTA ? "quota"
                        : failure.failureClass() == FailureClass.CAPACITY ? "capacity" : "throttling";
                changes.defer(l, now, reason, failure.errorCode() + ": " + failure.message(),
                        retry.deferDelay(l.deferCount + 1));
            }
            case RETRY -> retryOrFail(l, now, jobName, failure);
            case FAIL -> {
                l.trainingJobName = jobName;
                changes.fail(l, now, failure.failureClass().wireName(), failure.errorCode(), failure.message());
            }
            case ALREADY_LAUNCHED -> throw new IllegalArgumentException("already launched is not a failure");
        }
    }

    /** Keeps the quota: the call may have created the job, and the retry reuses the same name. */
    private void retryOrFail(LaunchEntity l, Instant now, String jobName, LaunchFailure failure) {
        boolean again = retry.mayRetry(l.retryCount);
        l.retryCount++;
        l.failureClass = failure.failureClass().wireName();
        l.setError(failure.message());
        l.updatedAt = now;
        if (again) {
            l.state = LaunchState.PENDING;
            l.nextAttemptAt = now.plus(retry.retryDelay(l.retryCount));
        } else {
            changes.releaseQuota(l, now);
            l.state = LaunchState.FAILED;
            l.nextAttemptAt = null;
            changes.callOffRelaunch(l, now, LaunchChanges.CALLED_OFF_LAUNCH_FAILED);
        }
        outbox.launches(l.runId, new LaunchEvents.RunLaunchFailed(l.runId, l.designId, l.attempt, jobName,
                failure.failureClass().wireName(), failure.errorCode(), failure.message(), again, now.toString()),
                l.traceparent);
    }

    @Transactional
    @CommitOrThrow
    public void stopSent(String runId) {
        launches.lock(runId).ifPresent(l -> {
            if (l.state == LaunchState.STOPPING) {
                l.nextAttemptAt = null; // now wait for the terminal state from bench.job-states
                l.updatedAt = Instant.now();
            }
        });
    }

    @Transactional
    @CommitOrThrow
    public void stopFailed(String runId, LaunchFailure failure) {
        Instant now = Instant.now();
        launches.lock(runId).ifPresent(l -> {
            l.setError("StopTrainingJob: " + failure.message());
            l.updatedAt = now;
            if (failure.action() == LaunchFailure.Action.FAIL) {
                // The job is gone or already finished: the terminal state event frees the quota.
                l.nextAttemptAt = null;
            } else {
                l.nextAttemptAt = now.plus(retry.retryDelay(Math.max(1, ++l.retryCount)));
            }
        });
    }

    /**
     * A job of ours reached a terminal state: free its instances and wake runs waiting for that type. A job that failed
     * for a platform reason (capacity, internal) is relaunched as the next attempt, up to the configured bound. Either
     * way the verdict is published (RunAttemptEnded), so results-service knows whether the run goes on: only the
     * current job's end gives one; a late end of an earlier attempt's job does not. @return false for a duplicate
     */
    @Transactional
    @CommitOrThrow
    public boolean jobEnded(String eventId, String runId, String jobName, String status, String failureReason) {
        if (!processed.markProcessed(eventId, "TrainingJobStateChanged")) {
            return false;
        }
        launches.lock(runId).ifPresent(l -> {
            if (!jobName.equals(l.trainingJobName)) {
                return; // an earlier attempt's job; its quota was already accounted for
            }
            Instant now = Instant.now();
            changes.releaseQuota(l, now);
            l.updatedAt = now;
            if (l.state != LaunchState.LAUNCHED && l.state != LaunchState.STOPPING
                    && l.state != LaunchState.LAUNCHING) {
                return;
            }
            if (!l.cancelRequested && l.attempt < config.retry().maxAttempts()
                    && JobFailurePolicy.worthRelaunching(status, failureReason)) {
                relaunch(l, now, jobName, status, failureReason);
                return;
            }
            l.state = LaunchState.ENDED;
            l.nextAttemptAt = null;
            if (failureReason != null) {
                l.setError(failureReason);
            }
            outbox.launches(runId, LaunchEvents.RunAttemptEnded.last(runId, l.designId, l.attempt, jobName, status,
                    failureReason, now.toString()), l.traceparent);
            LOG.debugf("job %s ended with %s; quota of %s released", jobName, status, l.instanceType);
        });
        return true;
    }

    private void relaunch(LaunchEntity l, Instant now, String jobName, String status, String failureReason) {
        LOG.infof("job %s failed (%s); relaunching as attempt %d", jobName, failureReason, l.attempt + 1);
        outbox.launches(l.runId, LaunchEvents.RunAttemptEnded.relaunched(l.runId, l.designId, l.attempt, jobName,
                status, failureReason, now.toString()), l.traceparent);
        l.attempt++;
        l.state = LaunchState.PENDING;
        l.trainingJobName = null;
        l.trainingJobArn = null;
        l.launchedAt = null;
        l.retryCount = 0;
        l.deferCount = 0;
        l.deferReason = null;
        l.setError(failureReason);
        l.nextAttemptAt = now.plus(retry.retryDelay(l.attempt - 1));
    }
}
