package io.sagebench.launcher.app;

import java.math.BigDecimal;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.sagebench.launcher.domain.FailureClass;
import io.sagebench.launcher.domain.InvalidEventException;
import io.sagebench.launcher.domain.LaunchState;
import io.sagebench.launcher.domain.RunPlan;
import io.sagebench.launcher.repository.LaunchEntity;
import io.sagebench.launcher.repository.LaunchRepository;
import io.sagebench.launcher.repository.ProcessedEventRepository;
import io.sagebench.platform.db.CommitOrThrow;

/**
 * What incoming records ask of the launcher: a run to launch, a run rejected, a run cancelled, a run billed. Each in
 * one transaction with its processed_event row and the events it publishes (outbox). @return false for a duplicate
 */
@ApplicationScoped
public class LaunchIntake {
    private static final Logger LOG = Logger.getLogger(LaunchIntake.class);

    @Inject
    LaunchRepository launches;
    @Inject
    ProcessedEventRepository processed;
    @Inject
    EventOutbox outbox;
    @Inject
    LaunchChanges changes;

    /**
     * A valid RunPlanned: remember the run and its trace; the dispatcher launches it when quota, rate and the
     * spending ceilings allow. @return false for a duplicate
     */
    @Transactional
    @CommitOrThrow
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
        l.quotedUsd = changes.quoteOf(plan);
        l.createdAt = now;
        l.updatedAt = now;
        l.nextAttemptAt = now;
        l.persist();
        return true;
    }

    /** An invalid RunPlanned that still names its run: the run fails with class validation, and nothing else. */
    @Transactional
    @CommitOrThrow
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
        outbox.launches(l.runId, new LaunchEvents.RunLaunchFailed(l.runId, l.designId, 1, null,
                FailureClass.VALIDATION.wireName(), "InvalidRunPlanned", e.getMessage(), false, now.toString()),
                l.traceparent);
    }

    /** @return false for a duplicate */
    @Transactional
    @CommitOrThrow
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
                changes.releaseQuota(l, now);
                l.state = LaunchState.CANCELLED;
                l.nextAttemptAt = null;
                changes.callOffRelaunch(l, now, LaunchChanges.CALLED_OFF_CANCELLED);
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

    /**
     * results-service priced the run (RunResult, the latest per run wins): from now on the run counts what it was
     * billed, all attempts, instead of its quotes against the ceilings of the day it was admitted. @return false for
     * a duplicate
     */
    @Transactional
    @CommitOrThrow
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

    /** A record this service has nothing to do with, remembered so a redelivery counts as a duplicate. */
    @Transactional
    @CommitOrThrow
    public boolean skip(String eventId, String eventType) {
        return processed.markProcessed(eventId, eventType);
    }
}
