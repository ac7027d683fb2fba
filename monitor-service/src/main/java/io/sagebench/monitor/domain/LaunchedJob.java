package io.sagebench.monitor.domain;

import java.time.Instant;

/** What a RunLaunched says about its job. */
public record LaunchedJob(String jobName, RunIdentity identity, String cellId, String jobArn, Instant launchedAt) {
}
