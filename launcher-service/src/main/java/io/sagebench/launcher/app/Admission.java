package io.sagebench.launcher.app;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.sagebench.launcher.client.TrainingJobRequestFactory;
import io.sagebench.launcher.config.LaunchSettingsProducer;
import io.sagebench.launcher.config.LauncherConfig;
import io.sagebench.launcher.domain.FailureClass;
import io.sagebench.launcher.domain.InvalidEventException;
import io.sagebench.launcher.domain.LaunchState;
import io.sagebench.launcher.domain.RunPlan;
import io.sagebench.launcher.repository.AdmissionRepository;
import io.sagebench.launcher.repository.LaunchEntity;
import io.sagebench.launcher.repository.LaunchRepository;
import io.sagebench.platform.aws.AwsConfig;
import io.sagebench.platform.db.CommitOrThrow;
import software.amazon.awssdk.services.sagemaker.model.CreateTrainingJobRequest;

/**
 * Which due launch goes next, admitted against the instance quota, the account's call rate and the daily spending
 * ceilings, all under row locks shared by every replica. AWS is never called in here: the dispatcher calls it between
 * two transactions, and the deterministic job name makes the window between them safe.
 */
@ApplicationScoped
public class Admission {

    @Inject
    LaunchRepository launches;
    @Inject
    AdmissionRepository admission;
    @Inject
    TrainingJobRequestFactory requests;
    @Inject
    LauncherConfig config;
    @Inject
    AwsConfig aws;
    @Inject
    LaunchChanges changes;

    /** Picks the next due launch and admits it against quota and the account rate, all under row locks. */
    @Transactional
    @CommitOrThrow
    public Step claimNext() {
        Instant now = Instant.now();
        LaunchEntity l = launches.lockNextDue(now).orElse(null);
        if (l == null) {
            return new Step.Nothing();
        }
        if (l.state == LaunchState.STOPPING) {
            l.nextAttemptAt = now.plus(config.admission().launchLease());
            return new Step.Stop(l.runId, l.trainingJobName, run(l, null));
        }
        RunPlan plan = RunPlanReader.read(l.planJson);
        CreateTrainingJobRequest request;
        try {
            request = requests.build(plan, l.attempt, l.traceparent);
        } catch (InvalidEventException e) {
            changes.fail(l, now, FailureClass.VALIDATION.wireName(), "InvalidRunPlanned", e.getMessage());
            return new Step.Deferred(l.runId);
        }
        if (!l.holdsQuota) {
            int quota = quotaFor(l.instanceType);
            int inUse = admission.lockUsage(l.instanceType);
            if (quota >= 0 && l.instanceCount > quota) {
                changes.fail(l, now, FailureClass.QUOTA.wireName(), "QuotaTooSmall", "run needs " + l.instanceCount
                        + " x " + l.instanceType + " but the configured quota is " + quota + "; it can never start");
                return new Step.Deferred(l.runId);
            }
            if (quota >= 0 && inUse + l.instanceCount > quota) {
                changes.defer(l, now, "quota", l.instanceType + ": " + inUse + " in use + " + l.instanceCount
                        + " requested > quota " + quota, config.admission().quotaRecheck());
                return new Step.Deferred(l.runId);
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
            return new Step.RateBlocked();
        }
        if (l.chargedAttempt < l.attempt && !charge(l, plan, now)) {
            return new Step.Deferred(l.runId);
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
        return new Step.Launch(l.runId, l.attempt, request, slotAt, startNotBefore, inFlightMarker, run(l, plan));
    }

    /** Frees the account's call slot as soon as a CreateTrainingJob returned, whatever its outcome. */
    @Transactional
    @CommitOrThrow
    public void callFinished(long inFlightMarkerMs, long slotAtMs) {
        long spacingMs = LaunchSettingsProducer.callSpacing(config).toMillis();
        long afterFinishMs = LaunchSettingsProducer.callInterval(config)
                .minus(config.admission().rateSlowCallAllowance()).toMillis();
        admission.callFinished(inFlightMarkerMs, slotAtMs, spacingMs, afterFinishMs);
    }

    /**
     * Counts this attempt's quote against today's ceilings, under the rate row's lock so admissions across replicas
     * see each other's spend. @return false if the run was failed or deferred instead
     */
    private boolean charge(LaunchEntity l, RunPlan plan, Instant now) {
        LocalDate today = admission.databaseToday();
        if (l.quotedUsd == null) {
            l.quotedUsd = changes.quoteOf(plan); // a row accepted before the ceilings existed
        }
        if (l.quotedUsd == null) {
            changes.fail(l, now, FailureClass.VALIDATION.wireName(), "NoQuote", "the run has no quote and the price "
                    + "book has no price for " + l.instanceType + " in " + aws.region()
                    + ", so the spending ceilings cannot be checked");
            return false;
        }
        // An orphaned LAUNCHING row's call may already have created the job: it is counted, never deferred.
        if (l.state != LaunchState.LAUNCHING && overCeiling(l, today) != null) {
            return false;
        }
        l.spendUsd = (today.equals(l.admittedOn) ? l.spendUsd : BigDecimal.ZERO).add(l.quotedUsd);
        l.admittedOn = today;
        l.chargedAttempt = l.attempt;
        return true;
    }

    /**
     * Defers the run if its quote would take its designer or the account over today's ceiling (the designer's is
     * checked first). @return the reason, or null if it fits
     */
    private String overCeiling(LaunchEntity l, LocalDate today) {
        var ceilings = config.ceiling();
        BigDecimal designer = admission.spendOn(today, l.submittedBy);
        if (designer.add(l.quotedUsd).compareTo(ceilings.designerUsdPerDay()) > 0) {
            changes.defer(l, Instant.now(), "designer-ceiling", "designer " + l.submittedBy + " has " + usd(designer)
                    + " admitted today (UTC " + today + "); this run's " + usd(l.quotedUsd) + " would exceed the "
                    + usd(ceilings.designerUsdPerDay()) + " daily ceiling", ceilings.recheck());
            return "designer-ceiling";
        }
        BigDecimal account = admission.spendOn(today, null);
        if (account.add(l.quotedUsd).compareTo(ceilings.accountUsdPerDay()) > 0) {
            changes.defer(l, Instant.now(), "account-ceiling", "the account has " + usd(account) + " admitted today "
                    + "(UTC " + today + "); this run's " + usd(l.quotedUsd) + " would exceed the "
                    + usd(ceilings.accountUsdPerDay()) + " daily ceiling", ceilings.recheck());
            return "account-ceiling";
        }
        return null;
    }

    private int quotaFor(String instanceType) {
        var a = config.admission();
        return a.quota().getOrDefault(instanceType, a.defaultQuota());
    }

    private static String usd(BigDecimal amount) {
        return "USD " + amount.setScale(2, RoundingMode.HALF_UP).toPlainString();
    }

    private static Step.Run run(LaunchEntity l, RunPlan plan) {
        return new Step.Run(l.designId, l.cellId, l.traceparent, l.instanceType, plan != null && plan.spot());
    }
}
