package io.sagebench.launcher.app;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.quarkus.scheduler.Scheduled;
import io.sagebench.launcher.app.Step.Deferred;
import io.sagebench.launcher.app.Step.Launch;
import io.sagebench.launcher.app.Step.Stop;
import io.sagebench.launcher.client.CodeUploader;
import io.sagebench.launcher.client.FailureClassifier;
import io.sagebench.launcher.client.TrainingJobs;
import io.sagebench.launcher.domain.FailureClass;
import io.sagebench.launcher.domain.LaunchFailure;
import io.sagebench.platform.tracing.LogContext;

/**
 * Drives due launches: claim one under row locks (quota, rate), call SageMaker outside any transaction, record the
 * outcome. Runs on every replica; the shared tables in MariaDB keep the quota and the account rate across all of them.
 */
@ApplicationScoped
public class LaunchDispatcher {
    private static final Logger LOG = Logger.getLogger(LaunchDispatcher.class);
    /** Bounds one tick so the scheduler thread is not held forever by a long backlog. */
    static final int MAX_STEPS_PER_TICK = 50;

    private volatile Instant lastTickStarted;
    private final AtomicLong launches = new AtomicLong();

    @Inject
    Admission admission;
    @Inject
    LaunchOutcomes outcomes;
    @Inject
    TrainingJobs jobs;
    @Inject
    CodeUploader code;
    @Inject
    RunSpans tracing;
    @Inject
    LauncherMetrics metrics;

    /** One dispatch round; public so a test can run several "replicas" against the same database. */
    @Scheduled(every = "${sagebench.launcher.dispatch-interval:0.2s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    public void tick() {
        lastTickStarted = Instant.now();
        for (int i = 0; i < MAX_STEPS_PER_TICK; i++) {
            Step step;
            try {
                step = admission.claimNext();
            } catch (RuntimeException e) {
                LOG.warnf("claiming the next launch failed, retrying next tick: %s", e.toString());
                return;
            }
            if (step instanceof Launch launch) {
                inRunContext(launch.runId(), launch.run(), "CreateTrainingJob " + launch.request().trainingJobName(),
                        launch.request().trainingJobName(), () -> launch(launch));
            } else if (step instanceof Stop stop) {
                inRunContext(stop.runId(), stop.run(), "StopTrainingJob " + stop.jobName(), stop.jobName(),
                        () -> stop(stop));
            } else if (!(step instanceof Deferred)) {
                return; // nothing due, or the rate slot belongs to someone else
            }
        }
    }

    /** Runs an AWS step in a span of the run's trace (stored from its RunPlanned), with the run in the MDC. */
    private void inRunContext(String runId, Step.Run run, String spanName, String jobName, Runnable step) {
        Span span = tracing.start(spanName, SpanKind.CLIENT, run.traceparent());
        RunSpans.describe(span, run.designId(), runId, run.cellId(), jobName);
        try (LogContext ignored = LogContext.of(run.designId(), runId); Scope current = span.makeCurrent()) {
            step.run();
        } finally {
            span.end();
        }
    }

    private void launch(Launch launch) {
        String jobName = launch.request().trainingJobName();
        try {
            // the content-addressed sourcedir.tar.gz the request points at (a no-op once uploaded, or without a bucket)
            code.ensureUploaded();
        } catch (RuntimeException e) {
            releaseSlot(launch);
            LOG.warnf("uploading the training code failed, %s will be retried: %s", jobName, e.toString());
            outcomes.launchFailed(launch.runId(), launch.attempt(), jobName, new LaunchFailure(FailureClass.INTERNAL,
                    LaunchFailure.Action.RETRY, "SourceUploadFailed",
                    "uploading sourcedir.tar.gz to the code bucket failed: " + e.getMessage()));
            return;
        }
        // Our reserved slot is just ahead: wait for it rather than giving it up (keeps the rate near the limit).
        // Monotonic clock: the slot was converted from the database's clock at claim time.
        try {
            long remaining;
            while ((remaining = launch.startNotBeforeNanos() - System.nanoTime()) > 0) {
                Thread.sleep(remaining / 1_000_000L, (int) (remaining % 1_000_000L));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            releaseSlot(launch);
            return; // the lease expires and another tick retries with the same name
        }
        String arn;
        try {
            arn = jobs.create(launch.request());
        } catch (RuntimeException e) {
            releaseSlot(launch);
            onCreateFailed(launch, jobName, e);
            return;
        }
        releaseSlot(launch);
        try {
            outcomes.launched(launch.runId(), launch.attempt(), jobName, arn);
            launches.incrementAndGet();
            metrics.launched(launch.run().instanceType(), launch.run().spot());
            LOG.infof("launched %s", jobName);
        } catch (RuntimeException e) {
            // The job exists; the row stays LAUNCHING and the lease retry finds it through ResourceInUse.
            LOG.warnf("recording the launch of %s failed, the lease retry will adopt it: %s", jobName, e.toString());
        }
    }

    public Instant lastTickStarted() {
        return lastTickStarted;
    }

    public long launchCount() {
        return launches.get();
    }

    private void onCreateFailed(Launch launch, String jobName, RuntimeException e) {
        LaunchFailure failure = FailureClassifier.classify(e);
        if (failure.action() == LaunchFailure.Action.ALREADY_LAUNCHED) {
            alreadyLaunched(launch, jobName);
            return;
        }
        LOG.infof("CreateTrainingJob %s: %s (%s) -> %s", jobName, failure.failureClass(), failure.message(),
                failure.action());
        outcomes.launchFailed(launch.runId(), launch.attempt(), jobName, failure);
    }

    private void releaseSlot(Launch launch) {
        try {
            admission.callFinished(launch.inFlightMarkerMs(), launch.slotAtMs());
        } catch (RuntimeException e) {
            // The marker expires after the call timeout; until then other launches wait, none is lost.
            LOG.warnf("could not release the call slot: %s", e.toString());
        }
    }

    /** ResourceInUse for our own deterministic name: an earlier call (a crash, a lost reply) created it. */
    private void alreadyLaunched(Launch launch, String jobName) {
        try {
            String arn = jobs.confirmOwnJob(jobName, launch.runId());
            LOG.infof("%s already existed (earlier attempt got through); recorded as launched", jobName);
            outcomes.launched(launch.runId(), launch.attempt(), jobName, arn);
            metrics.launched(launch.run().instanceType(), launch.run().spot());
        } catch (IllegalStateException foreign) {
            outcomes.launchFailed(launch.runId(), launch.attempt(), jobName, new LaunchFailure(
                    FailureClass.VALIDATION, LaunchFailure.Action.FAIL, "ResourceInUse",
                    foreign.getMessage()));
        } catch (RuntimeException e) {
            outcomes.launchFailed(launch.runId(), launch.attempt(), jobName, FailureClassifier.classify(e));
        }
    }

    private void stop(Stop stop) {
        try {
            jobs.stop(stop.jobName());
            outcomes.stopSent(stop.runId());
            LOG.infof("stop requested for %s", stop.jobName());
        } catch (RuntimeException e) {
            outcomes.stopFailed(stop.runId(), FailureClassifier.classify(e));
        }
    }
}
