package io.sagebench.monitor.domain;

import java.time.Instant;
import java.util.Map;

/**
 * What the monitor needs from one EventBridge "SageMaker Training Job State Change" event (everything else is ignored).
 *
 * @param eventId         the EventBridge event id (dedupe key)
 * @param lastModifiedTime detail.LastModifiedTime (falls back to the event's `time` when absent)
 * @param tags            detail.Tags, whichever shape they came in
 * @param maxRunSeconds   how long the job may run at most (detail.StoppingCondition: MaxWaitTimeInSeconds for managed
 *                        spot, which bounds the whole job, else MaxRuntimeInSeconds); null when absent
 */
public record TrainingJobEvent(
        String eventId,
        String account,
        String jobName,
        String jobArn,
        JobStatus status,
        String secondaryStatus,
        Instant lastModifiedTime,
        String failureReason,
        Map<String, String> tags,
        Long maxRunSeconds) {

    public JobObservation observation() {
        return new JobObservation(jobName, status, secondaryStatus, lastModifiedTime, failureReason);
    }
}
