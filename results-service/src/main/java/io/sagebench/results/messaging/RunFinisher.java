package io.sagebench.results.messaging;

import io.quarkus.scheduler.Scheduled;
import io.sagebench.results.client.TrainingJobDescriber;
import io.sagebench.results.config.ResultsConfig;
import io.sagebench.results.domain.JobDescription;
import io.sagebench.results.domain.RunRecord;
import io.sagebench.results.domain.RunRecordCalculator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Optional;

/**
 * Finishes a run whose job has ended: DescribeTrainingJob (outside any transaction), price, store. Called right after
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

    /** Never throws: a failure is recorded on the job and retried by the sweep. */
    public void finish(String trainingJobName) {
        try {
            Optional<RunLedger.PendingRun> pending = ledger.pending(trainingJobName);
            if (pending.isEmpty()) {
                return;
            }
            RunLedger.PendingRun run = pending.get();
            JobDescription job = describer.describe(trainingJobName);
            if (!job.terminal()) {
                throw new IllegalStateException("DescribeTrainingJob still reports " + job.status() + "/" + job.secondaryStatus());
            }
            RunRecord record = calculator.compute(run.plan(), job, run.attempt(), run.status(), Instant.now());
            if (TransientRetry.call(() -> ledger.storeResult(record))) {
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
