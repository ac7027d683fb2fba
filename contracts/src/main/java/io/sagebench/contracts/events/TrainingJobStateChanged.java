package io.sagebench.contracts.events;

import com.fasterxml.jackson.annotation.JsonValue;
import io.sagebench.contracts.EventType;

import java.time.Instant;

/** One clean, ordered state change of a training job; the run's identity is there when the job is ours. */
public record TrainingJobStateChanged(
        String trainingJobName,
        String trainingJobArn,
        String runId,
        String designId,
        String cellId,
        Integer attempt,
        Status status,
        String secondaryStatus,
        Instant lastModifiedTime,
        String failureReason,
        Boolean terminal,
        Source source,
        String sourceEventId) implements Event {

    @Override
    public EventType type() {
        return EventType.TrainingJobStateChanged;
    }

    /** SageMaker's TrainingJobStatus. */
    public enum Status {
        IN_PROGRESS("InProgress"),
        COMPLETED("Completed"),
        FAILED("Failed"),
        STOPPING("Stopping"),
        STOPPED("Stopped");

        private final String wire;

        Status(String wire) {
            this.wire = wire;
        }

        @JsonValue
        public String wire() {
            return wire;
        }
    }

    /** Where the monitor learned the state: an EventBridge event or its own reconciliation. */
    public enum Source {
        EVENT("event"),
        RECONCILE("reconcile");

        private final String wire;

        Source(String wire) {
            this.wire = wire;
        }

        @JsonValue
        public String wire() {
            return wire;
        }
    }
}
