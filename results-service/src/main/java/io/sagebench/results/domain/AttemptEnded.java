package io.sagebench.results.domain;

/**
 * The launcher's verdict on an ended attempt: relaunch (the run goes on) or this attempt was the run's last;
 * {@code relaunchCalledOff} (cancelled, launch-failed) when it withdraws a relaunch announced before.
 */
public record AttemptEnded(String runId, String designId, int attempt, String trainingJobName, String status,
                           boolean relaunch, Integer nextAttempt, String relaunchCalledOff) {
}
