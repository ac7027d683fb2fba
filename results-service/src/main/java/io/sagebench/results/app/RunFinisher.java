package io.sagebench.results.app;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkus.scheduler.Scheduled;
import io.sagebench.contracts.ids.JobNames;
import io.sagebench.platform.inbox.TransientRetry;
import io.sagebench.platform.tracing.LogContext;
import io.sagebench.platform.tracing.Traceparent;
import io.sagebench.results.client.TrainingJobDescriber;
import io.sagebench.results.config.ResultsConfig;
import io.sagebench.results.domain.AttemptCost;
import io.sagebench.results.domain.AttemptVerdict;
import io.sagebench.results.domain.JobDescription;
import io.sagebench.results.domain.PendingRun;
import io.sagebench.results.domain.RunPlan;
import io.sagebench.results.domain.RunRecord;
import io.sagebench.results.domain.RunRecordCalculator;
import io.sagebench.results.domain.RunStatus;
import io.sagebench.results.repository.PendingRuns;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Finishes a run whose final attempt's job has ended: DescribeTrainingJob (outside any transaction, several in
 * parallel on a bounded pool), price, store (a batch of runs per transaction); an
 * attempt that is not the last is priced and kept, to be charged to the run when it ends. Called right after
 * the event that completed the picture, and by a periodic sweep for anything left over (a describe that failed, a
 * crash between the event and the result), so no terminal job is lost.
 */
@ApplicationScoped
public class RunFinisher {

    private static final Logger LOG = Logger.getLogger(RunFinisher.class);

    @Inject
    PendingRuns pendingRuns;
    @Inject
    ResultStore store;
    @Inject
    EventRecorder recorder;
    @Inject
    TrainingJobDescriber describer;
    @Inject
    RunRecordCalculator calculator;
    @Inject
    ResultsConfig config;
    @Inject
    Event<ResultsStored> resultsStored;
    @Inject
    Tracer tracer;
    @Inject
    TransientRetry retry;

    /** Results were stored: their RunResults (and any DesignCompleted) are in the outbox, to be sent now. */
    public record ResultsStored(int count) {
    }

    private ExecutorService describers;

    @PostConstruct
    void startDescribers() {
        AtomicInteger n = new AtomicInteger();
        describers = Executors.newFixedThreadPool(Math.max(1, config.describeConcurrency()), r -> {
            Thread t = new Thread(r, "results-describer-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @PreDestroy
    void stopDescribers() {
        describers.shutdownNow();
    }

    /**
     * Prices the ended attempt of {@code trainingJobName}. If it is its run's last attempt, also charges every earlier
     * attempt (describing any that no job-state event brought) and stores the run's one result; if the launcher
     * relaunched it, or has not said yet, keeps the priced attempt for later. Never throws: a failure is recorded on
     * the job and retried by the sweep.
     */
    public void finish(String trainingJobName) {
        finishAll(List.of(trainingJobName));
    }

    /**
     * {@link #finish} for several jobs at once: one read transaction, the DescribeTrainingJob calls in parallel on a
     * bounded pool (outside any transaction), then one transaction storing everything priced. If that transaction
     * fails for good, each job is stored on its own, so one bad run cannot hold back the others. Never throws.
     */
    public void finishAll(List<String> trainingJobNames) {
        if (trainingJobNames.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        List<PendingRun> pending;
        try {
            pending = retry.call("reading ended jobs", () -> pendingRuns.pendingAll(trainingJobNames));
        } catch (RuntimeException e) {
            // Nothing was described or stored: the jobs are terminal without a result, so the sweep takes them up.
            LOG.warnf("cannot read %d ended job(s) yet: %s", trainingJobNames.size(), e.toString());
            return;
        }
        pending = pending.stream()
                .filter(run -> run.verdict() == AttemptVerdict.FINAL || !run.attemptPriced()) // else charged already
                .toList();
        if (pending.isEmpty()) {
            return;
        }
        long tRead = System.nanoTime();
        List<ResultStore.Finished> priced = new ArrayList<>();
        if (pending.size() == 1) {
            priceOrRecordFailure(pending.get(0)).ifPresent(priced::add);
        } else {
            List<Future<Optional<ResultStore.Finished>>> work = pending.stream()
                    .map(run -> describers.submit(() -> priceOrRecordFailure(run))).toList();
            for (int i = 0; i < work.size(); i++) {
                try {
                    work.get(i).get().ifPresent(priced::add);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return; // shutting down: the sweep of the next start finishes what is left
                } catch (ExecutionException e) {
                    recordFailure(pending.get(i).trainingJobName(), e.getCause());
                }
            }
        }
        if (priced.isEmpty()) {
            return;
        }
        long t1 = System.nanoTime();
        int stored;
        try {
            stored = retry.call("storing results", () -> store.storeAll(priced));
        } catch (RuntimeException batchFailed) {
            LOG.warnf("storing %d finished job(s) together failed, storing them one by one: %s", priced.size(),
                    batchFailed.toString());
            stored = 0;
            for (ResultStore.Finished f : priced) {
                try {
                    stored += retry.call("storing the result of " + f.trainingJobName(), () -> store.storeAll(List.of(f)));
                } catch (RuntimeException e) {
                    recordFailure(f.trainingJobName(), e);
                }
            }
        }
        long t2 = System.nanoTime();
        if (stored > 0) {
            resultsStored.fire(new ResultsStored(stored)); // the relay sends them at once, not at its next tick
        }
        if (LOG.isDebugEnabled()) {
            LOG.debugf("finished %d of %d job(s): read %d ms, describe+price %d ms, store %d ms, relay %d ms", stored,
                    trainingJobNames.size(), (tRead - t0) / 1_000_000, (t1 - tRead) / 1_000_000,
                    (t2 - t1) / 1_000_000, (System.nanoTime() - t2) / 1_000_000);
        }
    }

    /**
     * Describes and prices one ended job, in a span of the design's trace (the one its RunPlanned carried); a failure
     * is recorded on the job (the sweep retries it with backoff).
     */
    private Optional<ResultStore.Finished> priceOrRecordFailure(PendingRun run) {
        Span span = startRunSpan(run);
        try (Scope scope = span.makeCurrent();
             LogContext log = LogContext.of(run.plan().designId(), run.plan().runId())) {
            return Optional.of(priced(run, Traceparent.of(span, run.traceparent())));
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            recordFailure(run.trainingJobName(), e);
            return Optional.empty();
        } finally {
            span.end();
        }
    }

    /**
     * One design = one trace: the span is a child of the traceparent stored with the run's RunPlanned (not of whatever
     * record triggered the finish), or of the current context when none was stored.
     */
    private Span startRunSpan(PendingRun run) {
        Context parent = run.traceparent() == null ? Context.current() : Traceparent.parent(run.traceparent());
        return tracer.spanBuilder("finish run").setParent(parent).setSpanKind(SpanKind.INTERNAL)
                .setAttribute("sagebench.design_id", run.plan().designId())
                .setAttribute("sagebench.run_id", run.plan().runId())
                .setAttribute("sagebench.cell_id", run.plan().cellId())
                .setAttribute("sagebench.job_name", run.trainingJobName())
                .startSpan();
    }

    private ResultStore.Finished priced(PendingRun run, String traceparent) {
        String trainingJobName = run.trainingJobName();
        RunRecord record = price(run.plan(), trainingJobName, run.attempt(), run.status());
        if (run.verdict() != AttemptVerdict.FINAL) {
            return ResultStore.Finished.attemptOnly(run.plan().runId(), run.plan().designId(), AttemptCost.of(record));
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
        return ResultStore.Finished.result(result, attempts, traceparent);
    }

    private void recordFailure(String trainingJobName, Throwable e) {
        LOG.warnf("cannot finish the run of job %s yet: %s", trainingJobName, e.toString());
        try {
            retry.run("recording a finish failure", () -> recorder.recordFinishFailure(trainingJobName, e.toString()));
        } catch (RuntimeException again) {
            LOG.warnf("cannot record the failure for %s: %s", trainingJobName, again.toString());
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

    @Scheduled(every = "${sagebench.results.finisher-interval:2s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void sweep() {
        finishAll(pendingRuns.awaitingResult(config.maxDescribeTries(), config.finisherBatch()));
    }
}
