package io.sagebench.results.domain;

import java.time.Instant;

/** A training job's state change, with the run and attempt it belongs to. */
public record JobState(String trainingJobName, String runId, String designId, int attempt, String status,
                       String secondaryStatus, Instant lastModified, String failureReason) {
    public boolean terminal() {
        return RunStatus.isTerminal(status);
    }
}
