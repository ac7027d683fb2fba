package io.sagebench.results.messaging;

import io.quarkus.scheduler.Scheduled;
import io.sagebench.results.client.TrainingJobDescriber;
import io.sagebench.results.config.ResultsConfig;
import io.sagebench.results.domain.AttemptCost;
import io.sagebench.results.domain.AttemptVerdict;
import io.sagebench.results.domain.JobDescription;
import io.sagebench.results.domain.JobNames;
import io.sagebench.results.domain.RunPlan;
import io.sagebench.results.domain.RunRecord;
import io.sagebench.results.domain.RunRecordCalculator;
import io.sagebench.results.domain.RunStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Finishes a run whose final attempt's job has ended: DescribeTrainingJob (outside any transaction), price, store; an
 * attempt that is not the last is priced and kept, to be charged to the run when it ends. Called right after
 * the event that completed the picture, and by a periodic sweep for anything left over (a describe that failed, a
 * crash between the event and the result), so no terminal job is lost.
 */
@ApplicationScoped
public class RunFinisher {

    private static final Logger LOG = Logger.getLogger(RunFinisher.class);

    @Inject
    RunLedger ledger;
    @Inject
    TrainingJobDescriber describer;
    @Inject
    RunRecordCalculator calculator;
    @Inject
    ResultsConfig config;
    @Inject
    OutboxRelay outboxRelay;

    /**
     * Prices the ended attempt of {@code trainingJobName}. If it is its run's last attempt, also charges every earlier
     * attempt (describing any that no job-state event brought) and stores the run's one result; if the launcher
     * relaunched it, or has not said yet, keeps the priced attempt for later. Never throws: a failure is recorded on
     * the job and retried by the sweep.
     */
    public void finish(String trainingJobName) {
        try {
            Optional<RunLedger.PendingRun> pending = ledger.pending(trainingJobName);
            if (pending.isEmpty()) {
                return;
            }
            RunLedger.PendingRun run = pending.get();
            if (run.verdict() != AttemptVerdict.FINAL && run.attemptPriced()) {
                return; // charged already; the run goes on (or waits for the launcher's verdict)
            }
            RunRecord record = price(run.plan(), trainingJobName, run.attempt(), run.status());
            if (run.verdict() != AttemptVerdict.FINAL) {
                TransientRetry.run(() -> ledger.storeAttempt(run.plan().runId(), run.plan().designId(),
                        AttemptCost.of(record)));
                return;
            }
            List<AttemptCost> earlier = new ArrayList<>(run.pricedEarlierAttempts());
            for (int attempt = 1; attempt < run.attempt(); attempt++) {
                int a = attempt;
                if (earlier.stream().noneMatch(e -> e.attempt() == a)) {
                    // Its job-state event has not come (or was lost): the job name is deterministic, so ask SageMaker.
                    String jobName = JobNames.of(run.plan().runId(), attempt);
                    earlier.add(AttemptCost.of(price(run.plan(), jobName, attempt, RunStatus.FAILED)));
                }
            }
            earlier.sort(Comparator.comparingInt(AttemptCost::attempt));
            RunRecord result = record.chargingEarlierAttempts(earlier);
            List<AttemptCost> attempts = new ArrayList<>(earlier);
            attempts.add(AttemptCost.of(record));
            if (TransientRetry.call(() -> ledger.storeResult(result, attempts))) {
                relayNow();
            }
        } catch (RuntimeException e) {
            LOG.warnf("cannot finish the run of job %s yet: %s", trainingJobName, e.toString());
            try {
                ledger.recordFinishFailure(trainingJobName, e.toString());
            } catch (RuntimeException again) {
                LOG.warnf("cannot record the failure for %s: %s", trainingJobName, again.toString());
            }
        }
    }

    /** DescribeTrainingJob (outside any transaction) and the attempt priced as if it were the whole run. */
    private RunRecord price(RunPlan plan, String jobName, int attempt, String status) {
        JobDescription job = describer.describe(jobName);
        if (!job.terminal()) {
            throw new IllegalStateException("DescribeTrainingJob of " + jobName + " still reports " + job.status()
                    + "/" + job.secondaryStatus());
        }
        return calculator.compute(plan, job, attempt, status, Instant.now());
    }

    private void relayNow() {
        try {
            outboxRelay.relay();
        } catch (RuntimeException e) {
            LOG.debugf("immediate relay failed, the scheduled one will retry: %s", e.toString());
        }
    }

    @Scheduled(every = "${sagebench.results.finisher-interval:2s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void sweep() {
        for (String jobName : ledger.awaitingResult(config.maxDescribeTries(), config.finisherBatch())) {
            finish(jobName);
        }
    }
}
