package io.sagebench.monitor.domain;

import java.time.Instant;
import java.util.Objects;

/** One sighting of a job's state, from an event or from DescribeTrainingJob. */
public record JobObservation(String jobName, JobStatus status, String secondaryStatus, Instant lastModifiedTime,
                             String failureReason) {

    public JobObservation {
        Objects.requireNonNull(jobName, "jobName");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(secondaryStatus, "secondaryStatus");
        Objects.requireNonNull(lastModifiedTime, "lastModifiedTime");
    }

    /** The tuple SageMaker may repeat in several events for one change. */
    public boolean sameChangeAs(JobSnapshot stored) {
        return stored != null && status == stored.status() && secondaryStatus.equals(stored.secondaryStatus())
                && lastModifiedTime.equals(stored.lastModifiedTime());
    }
}
