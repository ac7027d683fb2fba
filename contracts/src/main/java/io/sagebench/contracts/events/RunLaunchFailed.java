package io.sagebench.contracts.events;

import com.fasterxml.jackson.annotation.JsonValue;
import io.sagebench.contracts.EventType;

import java.time.Instant;

/** CreateTrainingJob failed for one attempt, classified. */
public record RunLaunchFailed(
        String runId,
        String designId,
        int attempt,
        String trainingJobName,
        FailureClass failureClass,
        String errorCode,
        String message,
        boolean retryable,
        Instant failedAt) implements Event {

    @Override
    public EventType type() {
        return EventType.RunLaunchFailed;
    }

    public enum FailureClass {
        THROTTLING("throttling"),
        QUOTA("quota"),
        CAPACITY("capacity"),
        VALIDATION("validation"),
        INTERNAL("internal");

        private final String wire;

        FailureClass(String wire) {
            this.wire = wire;
        }

        @JsonValue
        public String wire() {
            return wire;
        }
    }
}
