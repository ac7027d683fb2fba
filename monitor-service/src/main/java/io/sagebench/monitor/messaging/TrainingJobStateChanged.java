package io.sagebench.monitor.messaging;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.sagebench.monitor.domain.JobStateChange;

/** The payload published on bench.job-states (contract: contracts' TrainingJobStateChanged.schema.json). */
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

    static TrainingJobStateChanged of(JobStateChange c) {
        return new TrainingJobStateChanged(c.jobName(), c.jobArn(), c.identity().runId(), c.identity().designId(),
                c.cellId(), c.identity().attempt(), c.status().name(), c.secondaryStatus(),
                c.lastModifiedTime().toString(), c.failureReason(), c.terminal(), c.source(), c.sourceEventId());
    }
}
