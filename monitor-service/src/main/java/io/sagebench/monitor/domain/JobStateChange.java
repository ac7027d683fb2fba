package io.sagebench.monitor.domain;

import java.time.Instant;

/**
 * One accepted state of a job, as bench.job-states announces it: the job's merged identity and the state, with where
 * the state was read.
 *
 * @param source        {@link #SOURCE_EVENT} or {@link #SOURCE_RECONCILE}
 * @param sourceEventId the EventBridge event id when the state came from an event
 */
public record JobStateChange(String jobName, String jobArn, RunIdentity identity, String cellId, JobStatus status,
                             String secondaryStatus, Instant lastModifiedTime, String failureReason, String source,
                             String sourceEventId) {

    /** Read from an EventBridge state-change event. */
    public static final String SOURCE_EVENT = "event";
    /** Read with DescribeTrainingJob for a silent job. */
    public static final String SOURCE_RECONCILE = "reconcile";

    public boolean terminal() {
        return status.terminal();
    }
}
