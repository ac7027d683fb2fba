package io.sagebench.results.domain;

import java.time.Instant;

/** What the launcher said about a run's launch: RunLaunched, RunLaunchFailed or RunDeferred ({@code eventType}). */
public record LaunchNews(String eventType, String runId, String designId, Integer attempt, String trainingJobName,
                         String failureClass, Boolean retryable, String detail, Instant launchedAt) {
}
