package io.sagebench.contracts.events;

import io.sagebench.contracts.EventType;

/** Stop one run (its training job, if launched). */
public record RunCancelRequested(String runId, String designId, String reason) implements Event {

    @Override
    public EventType type() {
        return EventType.RunCancelRequested;
    }
}
