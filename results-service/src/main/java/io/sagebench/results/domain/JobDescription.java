package io.sagebench.results.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What DescribeTrainingJob says about a finished job, as plain values. */
public record JobDescription(
        String trainingJobName,
        String status,
        String secondaryStatus,
        String failureReason,
        Long trainingTimeSeconds,
        Long billableTimeSeconds,
        Instant trainingEndTime,
        Instant lastModifiedTime,
        List<StatusTransition> transitions,
        Map<String, Double> finalMetrics) {

    public static final String F1_METRIC = "eval_f1_score";

    public boolean terminal() {
        return RunStatus.isTerminal(status);
    }

    /** When the job ended, for choosing the price book version. */
    public Instant endedAt() {
        if (trainingEndTime != null) {
            return trainingEndTime;
        }
        return lastModifiedTime;
    }
}
