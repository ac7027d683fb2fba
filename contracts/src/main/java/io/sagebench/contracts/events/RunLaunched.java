package io.sagebench.contracts.events;

import io.sagebench.contracts.EventType;

import java.time.Instant;

/** CreateTrainingJob succeeded for one attempt of a run. */
public record RunLaunched(
        String runId,
        String designId,
        String cellId,
        int attempt,
        String trainingJobName,
        String trainingJobArn,
        String instanceType,
        Integer instanceCount,
        Instant launchedAt) implements Event {

    @Override
    public EventType type() {
        return EventType.RunLaunched;
    }
}
