package io.sagebench.results.domain;

import java.util.List;

/**
 * A terminal job of a run that has no result yet, with what the finisher needs: whether this attempt is the run's
 * last, whether it was already priced, and the earlier attempts already priced.
 */
public record PendingRun(RunPlan plan, String trainingJobName, int attempt, String status, AttemptVerdict verdict,
                         boolean attemptPriced, List<AttemptCost> pricedEarlierAttempts, String traceparent) {
}
