package io.sagebench.launcher.messaging;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.sagebench.platform.aws.AwsConfig;
import io.sagebench.contracts.catalog.PriceBook;
import io.sagebench.contracts.ids.JobNames;
import io.sagebench.launcher.app.RunSpans;
import io.sagebench.launcher.config.LaunchSettingsProducer;
import io.sagebench.launcher.config.LauncherConfig;
import io.sagebench.launcher.domain.FailureClass;
import io.sagebench.launcher.domain.InvalidEventException;
import io.sagebench.launcher.domain.JobFailurePolicy;
import io.sagebench.launcher.domain.LaunchFailure;
import io.sagebench.launcher.domain.LaunchState;
import io.sagebench.launcher.domain.RetryPolicy;
import io.sagebench.launcher.domain.RunPlan;
import io.sagebench.launcher.domain.RunPlanReader;
import io.sagebench.launcher.domain.TrainingJobRequestFactory;
import io.sagebench.launcher.repository.AdmissionRepository;
import io.sagebench.launcher.repository.LaunchEntity;
import io.sagebench.launcher.repository.LaunchRepository;
import io.sagebench.launcher.repository.ProcessedEventRepository;
import io.sagebench.platform.db.CommitOrThrow;
import software.amazon.awssdk.services.sagemaker.model.CreateTrainingJobRequest;

/**
 * Every state change of a launch, each in one transaction with the events it publishes (outbox) and, for incoming
 * events, the processed_event row. AWS is never called in here: the dispatcher calls it between two transactions, and
 * the deterministic job name makes the window between them safe.
 */
@ApplicationScoped
@CommitOrThrow
public class LaunchWorkflow {
    private static final Logger LOG = Logger.getLogger(LaunchWorkflow.class);

    @Inject
    LaunchRepository launches;
    @Inject
    ProcessedEventRepository processed;
    @Inject
    AdmissionRepository admission;
    @Inject
    EventOutbox outbox;
    @Inject
    TrainingJobRequestFactory requests;
    @Inject
    RetryPolicy retry;
    @Inject
    LauncherConfig config;
    @Inject
    AwsConfig aws;
    @Inject
    LauncherMetrics metrics;

    /** Why an announced relaunch did not happen (RunAttemptEnded.relaunchCalledOff). */
    static final String CALLED_OFF_CANCELLED = "cancelled";
    static final String CALLED_OFF_LAUNCH_FAILED = "launch-failed";

    private final PriceBook priceBook = PriceBook.fromClasspath();

    /** What the dispatcher must do next, decided under the row locks. */
    public sealed interface Step {
    }

    public record Nothing() implements Step {
    }

    public record RateBlocked() implements Step {
    }

    public record Deferred(String runId) implements Step {
    }

    /**
     * Admitted: call at {@code slotAtMs} (database clock), i.e. not before {@code startNotBeforeNanos} on this JVM's
     * monotonic clock, so no replica's wall clock is involved.
     */
    public record Launch(String runId, int attempt, CreateTrainingJobRequest request, long slotAtMs,
                         long startNotBeforeNanos, long inFlightMarkerMs, Run run) implements Step {
    }

    /** What the dispatcher needs to know about the run for its span, its log lines and its metrics. */
    public record Run(String designId, String cellId, String traceparent, String instanceType, boolean spot) {
    }

    public record Stop(String runId, String jobName, Run run) implements Step {
    }

    // ---------------------------------------------------------------- incoming bench.runs

    /**
     * A valid RunPlanned: remember the run and its trace; the dispatcher launches it when quota, rate and the
     * spending ceilings allow. @return false for a duplicate
     */
    @Transactional
    public boolean accept(String eventId, RunPlan plan, String rawJson, String traceparent) {
        if (!processed.markProcessed(eventId, "RunPlanned")) {
            return false;
        }
        if (launches.findById(plan.runId()) != null) {
            LOG.debugf("run %s already known; redelivered RunPlanned ignored", plan.runId());
            return false;
        }
        Instant now = Instant.now();
        LaunchEntity l = new LaunchEntity();
        l.runId = plan.runId();
        l.designId = plan.designId();
        l.cellId = plan.cellId();
        l.state = LaunchState.PENDING;
        l.attempt = 1;
        l.instanceType = plan.instanceType();
        l.instanceCount = plan.instanceCount();
        l.planJson = rawJson;
        l.traceparent = RunSpans.continuing(traceparent);
        l.submittedBy = plan.submittedBy();
        l.quotedUsd = quoteOf(plan);
        l.createdAt = now;
        l.updatedAt = now;
        l.nextAttemptAt = now;
        l.persist();
        return true;
    }

    /** An invalid RunPlanned that still names its run: the run fails with class validation, and nothing else. */
    @Transactional
    public void reject(String eventId, InvalidEventException e, String traceparent) {
        if (!processed.markProcessed(eventId, "RunPlanned") || e.runId() == null || e.designId() == null) {
            return;
        }
        if (launches.findById(e.runId()) != null) {
            return; // never let a bad duplicate spoil a run that was already accepted
        }
        Instant now = Instant.now();
        LaunchEntity l = new LaunchEntity();
        l.runId = e.runId();
        l.designId = e.designId();
        l.state = LaunchState.FAILED;
        l.attempt = 1;
        l.failureClass = FailureClass.VALIDATION.wireName();
        l.setError(e.getMessage());
        l.traceparent = RunSpans.continuing(traceparent);
        l.createdAt = now;
        l.updatedAt = now;
        l.persist();
        outbox.launches(l.runId, new Events.RunLaunchFailed(l.runId, l.designId, 1, null,
                FailureClass.VALIDATION.wireName(), "InvalidRunPlanned", e.getMessage(), false, now.toString()),
                l.traceparent);
    }

    /** @return false for a duplicate */
    @Transactional
    public boolean cancel(String eventId, String runId, String designId) {
        if (!processed.markProcessed(eventId, "RunCancelRequested")) {
            return false;
        }
        Instant now = Instant.now();
        LaunchEntity l = launches.lock(runId).orElse(null);
        if (l == null) {
            // Cancel overtook the plan: a tombstone so a late RunPlanned never launches.
            l = new LaunchEntity();
            l.runId = runId;
            l.designId = designId;
            l.state = LaunchState.CANCELLED;
            l.attempt = 1;
            l.cancelRequested = true;
            l.createdAt = now;
            l.updatedAt = now;
            l.persist();
            return true;
        }
        l.cancelRequested = true;
        l.updatedAt = now;
        switch (l.state) {
            case PENDING, DEFERRED -> {
                releaseQuota(l, now);
                l.state = LaunchState.CANCELLED;
                l.nextAttemptAt = null;
                callOffRelaunch(l, now, CALLED_OFF_CANCELLED);
            }
            case LAUNCHED -> {
                l.state = LaunchState.STOPPING;
                l.nextAttemptAt = now;
            }
            default -> {
                // LAUNCHING: the outcome step sees cancelRequested and stops the job; others are already done.
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- dispatcher

    /** Picks the next due launch and admits it against quota and the account rate, all under row locks. */
    @Transactional
    public Step claimNext() {
        Instant now = Instant.now();
        LaunchEntity l = launches.lockNextDue(now).orElse(null);
        if (l == null) {
            return new Nothing();
        }
        if (l.state == LaunchState.STOPPING) {
            l.nextAttemptAt = now.plus(config.admission().launchLease());
            return new Stop(l.runId, l.trainingJobName, run(l, null));
        }
        RunPlan plan = RunPlanReader.read(l.planJson);
        CreateTrainingJobRequest request;
        try {
            request = requests.build(plan, l.attempt, l.traceparent);
        } catch (InvalidEventException e) {
            fail(l, now, FailureClass.VALIDATION.wireName(), "InvalidRunPlanned", e.getMessage());
            return new Deferred(l.runId);
        }
        if (!l.holdsQuota) {
            int quota = quotaFor(l.instanceType);
            int inUse = admission.lockUsage(l.instanceType);
            if (quota >= 0 && l.instanceCount > quota) {
                fail(l, now, FailureClass.QUOTA.wireName(), "QuotaTooSmall", "run needs " + l.instanceCount + " x "
                        + l.instanceType + " but the configured quota is " + quota + "; it can never start");
                return new Deferred(l.runId);
            }
            if (quota >= 0 && inUse + l.instanceCount > quota) {
                defer(l, now, "quota", l.instanceType + ": " + inUse + " in use + " + l.instanceCount
                        + " requested > quota " + quota, config.admission().quotaRecheck());
                return new Deferred(l.runId);
            }
        }
        // The account rate, across replicas, on the database's clock: one CreateTrainingJob in flight at a time; call
        // starts spaced one interval + margin apart; and after a slow call (whose request may have reached SageMaker
        // only just before its reply) the next waits for its finish + interval - allowance (see callFinished).
        long spacingMs = LaunchSettingsProducer.callSpacing(config).toMillis();
        long nextSlot = admission.lockNextSlot();
        long dbNowMs = admission.databaseNowMs();
        // Measured after the database's clock was read, so the local deadline can only err late, never early.
        long localNowNanos = System.nanoTime();
        if (nextSlot - dbNowMs > spacingMs) {
            // A call is in flight, or the next slot is more than one interval away; nothing changed here.
            return new RateBlocked();
        }
        if (l.chargedAttempt < l.attempt) {
            // Under the rate row's lock, so admissions across replicas see each other's spend.
            LocalDate today = admission.databaseToday();
            if (l.quotedUsd == null) {
                l.quotedUsd = quoteOf(plan); // a row accepted before the ceilings existed
            }
            if (l.quotedUsd == null) {
                fail(l, now, FailureClass.VALIDATION.wireName(), "NoQuote", "the run has no quote and the price book "
                        + "has no price for " + l.instanceType + " in " + aws.region()
                        + ", so the spending ceilings cannot be checked");
                return new Deferred(l.runId);
            }
            // An orphaned LAUNCHING row's call may already have created the job: it is counted, never deferred.
            if (l.state != LaunchState.LAUNCHING && overCeiling(l, today) != null) {
                return new Deferred(l.runId);
            }
            l.spendUsd = (today.equals(l.admittedOn) ? l.spendUsd : BigDecimal.ZERO).add(l.quotedUsd);
            l.admittedOn = today;
            l.chargedAttempt = l.attempt;
        }
        long slotAt = Math.max(dbNowMs, nextSlot);
        long startNotBefore = localNowNanos + (slotAt - dbNowMs) * 1_000_000L;
        long inFlightMarker = slotAt + aws.apiCallTimeout().toMillis() + 1000;
        admission.takeSlot(inFlightMarker);
        if (!l.holdsQuota) {
            admission.addUsage(l.instanceType, l.instanceCount);
            l.holdsQuota = true;
        }
        l.state = LaunchState.LAUNCHING;
        l.trainingJobName = request.trainingJobName();
        // If this replica dies before recording the outcome, another one retries the same name after the lease.
        l.nextAttemptAt = now.plus(config.admission().launchLease());
        l.updatedAt = now;
        return new Launch(l.runId, l.attempt, request, slotAt, startNotBefore, inFlightMarker, run(l, plan));
    }

    /**
     * Defers the run if its quote would take its designer or the account over today's ceiling (the designer's is
     * checked first). @return the reason, or null if it fits
     */
    private String overCeiling(LaunchEntity l, LocalDate today) {
        var ceilings = config.ceiling();
        BigDecimal designer = admission.spendOn(today, l.submittedBy);
        if (designer.add(l.quotedUsd).compareTo(ceilings.designerUsdPerDay()) > 0) {
            defer(l, Instant.now(), "designer-ceiling", "designer " + l.submittedBy + " has " + usd(designer)
                    + " admitted today (UTC " + today + "); this run's " + usd(l.quotedUsd) + " would exceed the "
                    + usd(ceilings.designerUsdPerDay()) + " daily ceiling", ceilings.recheck());
            return "designer-ceiling";
        }
        BigDecimal account = admission.spendOn(today, null);
        if (account.add(l.quotedUsd).compareTo(ceilings.accountUsdPerDay()) > 0) {
            defer(l, Instant.now(), "account-ceiling", "the account has " + usd(account) + " admitted today (UTC "
                    + today + "); this run's " + usd(l.quotedUsd) + " would exceed the "
                    + usd(ceilings.accountUsdPerDay()) + " daily ceiling", ceilings.recheck());
            return "account-ceiling";
        }
        return null;
    }

    /** The run's quote, or without one the price book's worst case, so leaving the quote out never slips past. */
    private BigDecimal quoteOf(RunPlan plan) {
        return plan.quotedUsd() != null ? BigDecimal.valueOf(plan.quotedUsd())
                : priceBook.worstCase(aws.region(), plan.instanceType(), plan.instanceCount(), plan.maxRuntimeSeconds(),
                        LocalDate.now(ZoneOffset.UTC)).orElse(null);
    }

    private static String usd(BigDecimal amount) {
        return "USD " + amount.setScale(2, RoundingMode.HALF_UP).toPlainString();
    }

    private static Run run(LaunchEntity l, RunPlan plan) {
        return new Run(l.designId, l.cellId, l.traceparent, l.instanceType, plan != null && plan.spot());
    }

    /** The attempt never reached SageMaker as a job: its quote no longer counts against today's ceilings. */
    private static void uncharge(LaunchEntity l) {
        if (l.chargedAttempt == l.attempt && l.quotedUsd != null) {
            l.spendUsd = l.spendUsd.subtract(l.quotedUsd).max(BigDecimal.ZERO);
            l.chargedAttempt = l.attempt - 1;
        }
    }

    /** Frees the account's call slot as soon as a CreateTrainingJob returned, whatever its outcome. */
    @Transactional
    public void callFinished(long inFlightMarkerMs, long slotAtMs) {
        long spacingMs = LaunchSettingsProducer.callSpacing(config).toMillis();
        long afterFinishMs = LaunchSettingsProducer.callInterval(config)
                .minus(config.admission().rateSlowCallAllowance()).toMillis();
        admission.callFinished(inFlightMarkerMs, slotAtMs, spacingMs, afterFinishMs);
    }

    @Transactional
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
        outbox.launches(runId, new Events.RunLaunched(runId, l.designId, l.cellId, attempt, jobName, arn,
                l.instanceType, l.instanceCount, now.toString()), l.traceparent);
    }

    @Transactional
    public void launchFailed(String runId, int attempt, String jobName, LaunchFailure failure) {
        Instant now = Instant.now();
        LaunchEntity l = launches.lock(runId).orElseThrow();
        if (l.attempt != attempt || l.state != LaunchState.LAUNCHING) {
            return;
        }
        if (l.cancelRequested) {
            releaseQuota(l, now);
            uncharge(l);
            l.state = LaunchState.CANCELLED;
            l.nextAttemptAt = null;
            l.setError(failure.message());
            callOffRelaunch(l, now, CALLED_OFF_CANCELLED);
            return;
        }
        switch (failure.action()) {
            case DEFER -> {
                releaseQuota(l, now);
                uncharge(l);
                String reason = failure.failureClass() == FailureClass.QUOTA ? "quota"
                        : failure.failureClass() == FailureClass.CAPACITY ? "capacity" : "throttling";
                defer(l, now, reason, failure.errorCode() + ": " + failure.message(),
                        retry.deferDelay(l.deferCount + 1));
            }
            case RETRY -> {
                // Keep the quota: the call may have created the job, and the retry reuses the same name.
                boolean again = retry.mayRetry(l.retryCount);
                l.retryCount++;
                l.failureClass = failure.failureClass().wireName();
                l.setError(failure.message());
                l.updatedAt = now;
                if (again) {
                    l.state = LaunchState.PENDING;
                    l.nextAttemptAt = now.plus(retry.retryDelay(l.retryCount));
                } else {
                    releaseQuota(l, now);
                    l.state = LaunchState.FAILED;
                    l.nextAttemptAt = null;
                    callOffRelaunch(l, now, CALLED_OFF_LAUNCH_FAILED);
                }
                outbox.launches(runId, new Events.RunLaunchFailed(runId, l.designId, attempt, jobName,
                        failure.failureClass().wireName(), failure.errorCode(), failure.message(), again,
                        now.toString()), l.traceparent);
            }
            case FAIL -> {
                l.trainingJobName = jobName;
                fail(l, now, failure.failureClass().wireName(), failure.errorCode(), failure.message());
            }
            case ALREADY_LAUNCHED -> throw new IllegalArgumentException("already launched is not a failure");
        }
    }

    @Transactional
    public void stopSent(String runId) {
        launches.lock(runId).ifPresent(l -> {
            if (l.state == LaunchState.STOPPING) {
                l.nextAttemptAt = null; // now wait for the terminal state from bench.job-states
                l.updatedAt = Instant.now();
            }
        });
    }

    @Transactional
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

    // ---------------------------------------------------------------- incoming bench.job-states

    /**
     * A job of ours reached a terminal state: free its instances and wake runs waiting for that type. A job that failed
     * for a platform reason (capacity, internal) is relaunched as the next attempt, up to the configured bound. Either
     * way the verdict is published (RunAttemptEnded), so results-service knows whether the run goes on: only the
     * current job's end gives one; a late end of an earlier attempt's job does not.
     */
    /** @return false for a duplicate */
    @Transactional
    public boolean jobEnded(String eventId, String runId, String jobName, String status, String failureReason) {
        if (!processed.markProcessed(eventId, "TrainingJobStateChanged")) {
            return false;
        }
        launches.lock(runId).ifPresent(l -> {
            if (!jobName.equals(l.trainingJobName)) {
                return; // an earlier attempt's job; its quota was already accounted for
            }
            Instant now = Instant.now();
            releaseQuota(l, now);
            l.updatedAt = now;
            if (l.state != LaunchState.LAUNCHED && l.state != LaunchState.STOPPING
                    && l.state != LaunchState.LAUNCHING) {
                return;
            }
            if (!l.cancelRequested && l.attempt < config.retry().maxAttempts()
                    && JobFailurePolicy.worthRelaunching(status, failureReason)) {
                LOG.infof("job %s failed (%s); relaunching as attempt %d", jobName, failureReason, l.attempt + 1);
                outbox.launches(runId, Events.RunAttemptEnded.relaunched(runId, l.designId, l.attempt, jobName, status,
                        failureReason, now.toString()), l.traceparent);
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
                return;
            }
            l.state = LaunchState.ENDED;
            l.nextAttemptAt = null;
            if (failureReason != null) {
                l.setError(failureReason);
            }
            outbox.launches(runId, Events.RunAttemptEnded.last(runId, l.designId, l.attempt, jobName, status,
                    failureReason, now.toString()), l.traceparent);
            LOG.debugf("job %s ended with %s; quota of %s released", jobName, status, l.instanceType);
        });
        return true;
    }

    /**
     * results-service priced the run (RunResult, the latest per run wins): from now on the run counts what it was
     * billed, all attempts, instead of its quotes against the ceilings of the day it was admitted. @return false for
     * a duplicate
     */
    @Transactional
    public boolean billed(String eventId, String runId, BigDecimal costUsd) {
        if (!processed.markProcessed(eventId, "RunResult")) {
            return false;
        }
        launches.lock(runId).ifPresentOrElse(l -> {
            LOG.infof("run %s billed USD %s (its quotes counted USD %s against %s's ceiling)", runId,
                    costUsd.toPlainString(), l.spendUsd.toPlainString(), l.submittedBy);
            boolean freesRoom = costUsd.compareTo(l.spendUsd) < 0;
            Instant now = Instant.now();
            l.billedUsd = costUsd;
            l.spendUsd = costUsd;
            l.updatedAt = now;
            if (freesRoom) {
                launches.wakeCeilingDeferred(now);
            }
        }, () -> LOG.debugf("RunResult for run %s, unknown here (launched by another deployment?)", runId));
        return true;
    }

    /** @return false for a duplicate */
    @Transactional
    public boolean skip(String eventId, String eventType) {
        return processed.markProcessed(eventId, eventType);
    }

    // ---------------------------------------------------------------- helpers

    private void defer(LaunchEntity l, Instant now, String reason, String detail, Duration wait) {
        boolean sameEpisode = l.state == LaunchState.DEFERRED && reason.equals(l.deferReason);
        l.state = LaunchState.DEFERRED;
        l.deferReason = reason;
        l.deferCount++;
        l.setError(detail);
        l.nextAttemptAt = now.plus(wait);
        l.updatedAt = now;
        if (!sameEpisode) {
            // One RunDeferred per episode, not one per re-check.
            outbox.launches(l.runId, new Events.RunDeferred(l.runId, l.designId, reason, detail,
                    wait.toMillis() / 1000.0, now.toString()), l.traceparent);
            metrics.deferred(reason);
        }
    }

    private void fail(LaunchEntity l, Instant now, String failureClass, String code, String message) {
        releaseQuota(l, now);
        uncharge(l);
        l.state = LaunchState.FAILED;
        l.failureClass = failureClass;
        l.setError(message);
        l.nextAttemptAt = null;
        l.updatedAt = now;
        callOffRelaunch(l, now, CALLED_OFF_LAUNCH_FAILED);
        outbox.launches(l.runId, new Events.RunLaunchFailed(l.runId, l.designId, l.attempt, l.trainingJobName,
                failureClass, code, message, false, now.toString()), l.traceparent);
    }

    /**
     * The run ends at attempt N > 1 without a job of its own (cancelled, or attempt N could not be launched): attempt
     * N - 1, whose relaunch was announced, is its last after all. Published before any RunLaunchFailed of attempt N,
     * so results-service finishes the run from that job instead of waiting for one that will never exist.
     */
    private void callOffRelaunch(LaunchEntity l, Instant now, String why) {
        if (l.attempt < 2) {
            return;
        }
        int last = l.attempt - 1;
        LOG.infof("run %s: the relaunch as attempt %d is called off (%s); attempt %d was its last", l.runId,
                l.attempt, why, last);
        outbox.launches(l.runId, Events.RunAttemptEnded.relaunchCalledOff(l.runId, l.designId, last,
                JobNames.of(l.runId, last), why, now.toString()), l.traceparent);
    }

    private void releaseQuota(LaunchEntity l, Instant now) {
        if (l.holdsQuota) {
            admission.lockUsage(l.instanceType);
            admission.addUsage(l.instanceType, -l.instanceCount);
            l.holdsQuota = false;
            launches.wakeQuotaDeferred(l.instanceType, now);
        }
    }

    int quotaFor(String instanceType) {
        var a = config.admission();
        return a.quota().getOrDefault(instanceType, a.defaultQuota());
    }
}
