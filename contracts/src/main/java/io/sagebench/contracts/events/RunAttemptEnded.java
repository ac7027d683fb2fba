package io.sagebench.contracts.events;

import com.fasterxml.jackson.annotation.JsonValue;
import io.sagebench.contracts.EventType;

import java.time.Instant;

/**
 * The launcher's verdict on an attempt whose job ended: {@code relaunch} (attempt + 1 follows) or this attempt was
 * the run's last. A second verdict with {@code relaunchCalledOff} set withdraws an announced relaunch.
 */
public record RunAttemptEnded(
        String runId,
        String designId,
        int attempt,
        String trainingJobName,
        JobOutcome status,
        String failureReason,
        boolean relaunch,
        Integer nextAttempt,
        Instant endedAt,
        CalledOff relaunchCalledOff) implements Event {

    @Override
    public EventType type() {
        return EventType.RunAttemptEnded;
    }

    /** Why an announced attempt + 1 never got a job. */
    public enum CalledOff {
        CANCELLED("cancelled"),
        LAUNCH_FAILED("launch-failed");

        private final String wire;

        CalledOff(String wire) {
            this.wire = wire;
        }

        @JsonValue
        public String wire() {
            return wire;
        }
    }
}
