package io.sagebench.contracts.events;

import com.fasterxml.jackson.annotation.JsonValue;

/** The terminal SageMaker status a run's training job ended in (RunAttemptEnded and RunResult). */
public enum JobOutcome {
    COMPLETED("Completed"),
    FAILED("Failed"),
    STOPPED("Stopped");

    private final String wire;

    JobOutcome(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }
}
