package io.sagebench.results.domain;

import io.sagebench.contracts.catalog.PriceBook;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/** Turns a run's plan and its finished job into the priced record. Plain logic, no I/O. */
public final class RunRecordCalculator {

    private final Supplier<PriceBook> priceBook;

    public RunRecordCalculator(PriceBook priceBook) {
        this(() -> priceBook);
    }

    /** @param priceBook the book in use at each call (a refresh may add versions while the service runs) */
    public RunRecordCalculator(Supplier<PriceBook> priceBook) {
        this.priceBook = priceBook;
    }

    /**
     * @param fallbackStatus the terminal status from the state-change event, used only if DescribeTrainingJob's is not
     *                       terminal (it always should be)
     * @param now            end time when the job reports none
     */
    public RunRecord compute(RunPlan plan, JobDescription job, int attempt, String fallbackStatus, Instant now) {
        String status = job.terminal() ? job.status() : fallbackStatus;
        if (!RunStatus.isTerminal(status)) {
            throw new IllegalArgumentException("job " + job.trainingJobName() + " has not ended (status " + job.status() + ")");
        }
        // A job that failed before it started may have no times at all: it was not billed.
        long billable = job.billableTimeSeconds() == null ? 0 : job.billableTimeSeconds();
        long training = job.trainingTimeSeconds() == null ? billable : job.trainingTimeSeconds();
        Instant endedAt = job.endedAt() != null ? job.endedAt() : now;

        PriceBook.Price price = priceBook.get().priceAt(plan.region(), plan.instanceType(), endedAt)
                .orElseThrow(() -> new UnpricedRunException("no price for " + plan.instanceType() + " in " + plan.region()
                        + " effective at " + endedAt + " in " + PriceBook.RESOURCE));
        BigDecimal cost = Pricing.cost(billable, price.hourlyUsd(), plan.instanceCount());

        TimeSplit split = TimeSplit.of(job.transitions(), endedAt);
        boolean hasTransitions = !job.transitions().isEmpty();
        Double throughput = RunStatus.COMPLETED.equals(status) ? split.throughput(plan.samplesSeen()) : null;
        Map<String, Double> metrics = new TreeMap<>(job.finalMetrics());

        return new RunRecord(plan.runId(), plan.designId(), plan.cellId(), plan.sequence(), plan.replicate(), attempt,
                job.trainingJobName(), status, blankToNull(job.failureReason()),
                plan.instanceType(), plan.instanceCount(), plan.gpusPerInstance(), plan.totalGpus(), plan.distribution(),
                plan.datasetSize(), plan.perDeviceBatchSize(), plan.globalBatchSize(), plan.learningRate(), plan.steps(),
                plan.epochs(), training, billable,
                hasTransitions ? split.startupSeconds() : null,
                hasTransitions ? split.trainingSeconds() : null,
                hasTransitions ? split.uploadSeconds() : null,
                throughput, Pricing.spotSavingsPercent(plan.spot(), training, billable),
                price.hourlyUsd(), price.version(), cost, metrics.get(JobDescription.F1_METRIC), metrics, endedAt);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
