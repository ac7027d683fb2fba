package io.sagebench.monitor.domain;

import java.time.Instant;

/** The last state the monitor published for a job. */
public record JobSnapshot(JobStatus status, String secondaryStatus, Instant lastModifiedTime) {
}
