package io.sagebench.launcher.app;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.sagebench.contracts.catalog.PriceBook;
import io.sagebench.contracts.ids.JobNames;
import io.sagebench.launcher.domain.LaunchState;
import io.sagebench.launcher.domain.RunPlan;
import io.sagebench.launcher.repository.AdmissionRepository;
import io.sagebench.launcher.repository.LaunchEntity;
import io.sagebench.launcher.repository.LaunchRepository;
import io.sagebench.platform.aws.AwsConfig;

/**
 * The state changes intake, admission and outcomes share, always inside the caller's transaction: deferring, failing,
 * freeing the quota, taking back a charge, and calling off an announced relaunch.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
class LaunchChanges {
    private static final Logger LOG = Logger.getLogger(LaunchChanges.class);

    /** Why an announced relaunch did not happen (RunAttemptEnded.relaunchCalledOff). */
    static final String CALLED_OFF_CANCELLED = "cancelled";
    static final String CALLED_OFF_LAUNCH_FAILED = "launch-failed";

    @Inject
    LaunchRepository launches;
    @Inject
    AdmissionRepository admission;
    @Inject
    EventOutbox outbox;
    @Inject
    LauncherMetrics metrics;
    @Inject
    AwsConfig aws;

    private final PriceBook priceBook = PriceBook.fromClasspath();

    /** The run's quote, or without one the price book's worst case, so leaving the quote out never slips past. */
    BigDecimal quoteOf(RunPlan plan) {
        return plan.quotedUsd() != null ? BigDecimal.valueOf(plan.quotedUsd())
                : priceBook.worstCase(aws.region(), plan.instanceType(), plan.instanceCount(), plan.maxRuntimeSeconds(),
                        LocalDate.now(ZoneOffset.UTC)).orElse(null);
    }

    void defer(LaunchEntity l, Instant now, String reason, String detail, Duration wait) {
        boolean sameEpisode = l.state == LaunchState.DEFERRED && reason.equals(l.deferReason);
        l.state = LaunchState.DEFERRED;
        l.deferReason = reason;
        l.deferCount++;
        l.setError(detail);
        l.nextAttemptAt = now.plus(wait);
        l.updatedAt = now;
        if (!sameEpisode) {
            // One RunDeferred per episode, not one per re-check.
            outbox.launches(l.runId, new LaunchEvents.RunDeferred(l.runId, l.designId, reason, detail,
                    wait.toMillis() / 1000.0, now.toString()), l.traceparent);
            metrics.deferred(reason);
        }
    }

    void fail(LaunchEntity l, Instant now, String failureClass, String code, String message) {
        releaseQuota(l, now);
        uncharge(l);
        l.state = LaunchState.FAILED;
        l.failureClass = failureClass;
        l.setError(message);
        l.nextAttemptAt = null;
        l.updatedAt = now;
        callOffRelaunch(l, now, CALLED_OFF_LAUNCH_FAILED);
        outbox.launches(l.runId, new LaunchEvents.RunLaunchFailed(l.runId, l.designId, l.attempt, l.trainingJobName,
                failureClass, code, message, false, now.toString()), l.traceparent);
    }

    /**
     * The run ends at attempt N > 1 without a job of its own (cancelled, or attempt N could not be launched): attempt
     * N - 1, whose relaunch was announced, is its last after all. Published before any RunLaunchFailed of attempt N,
     * so results-service finishes the run from that job instead of waiting for one that will never exist.
     */
    void callOffRelaunch(LaunchEntity l, Instant now, String why) {
        if (l.attempt < 2) {
            return;
        }
        int last = l.attempt - 1;
        LOG.infof("run %s: the relaunch as attempt %d is called off (%s); attempt %d was its last", l.runId,
                l.attempt, why, last);
        outbox.launches(l.runId, LaunchEvents.RunAttemptEnded.relaunchCalledOff(l.runId, l.designId, last,
                JobNames.of(l.runId, last), why, now.toString()), l.traceparent);
    }

    void releaseQuota(LaunchEntity l, Instant now) {
        if (l.holdsQuota) {
            admission.lockUsage(l.instanceType);
            admission.addUsage(l.instanceType, -l.instanceCount);
            l.holdsQuota = false;
            launches.wakeQuotaDeferred(l.instanceType, now);
        }
    }

    /** The attempt never reached SageMaker as a job: its quote no longer counts against today's ceilings. */
    static void uncharge(LaunchEntity l) {
        if (l.chargedAttempt == l.attempt && l.quotedUsd != null) {
            l.spendUsd = l.spendUsd.subtract(l.quotedUsd).max(BigDecimal.ZERO);
            l.chargedAttempt = l.attempt - 1;
        }
    }
}
