package io.sagebench.monitor.messaging;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The payload published on bench.job-states (contract: docs/events/TrainingJobStateChanged.schema.json). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingJobStateChanged(
        String trainingJobName,
        String trainingJobArn,
        String runId,
        String designId,
        String cellId,
        Integer attempt,
        String status,
        String secondaryStatus,
        String lastModifiedTime,
        String failureReason,
        boolean terminal,
        String source,
        String sourceEventId) {

    public static final String SOURCE_EVENT = "event";
    public static final String SOURCE_RECONCILE = "reconcile";
}
