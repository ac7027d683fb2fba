package io.sagebench.contracts.events;

import io.sagebench.contracts.EventType;

/** Stop every run of a design that has not finished. */
public record DesignCancelRequested(String designId, String reason, String requestedBy) implements Event {

    @Override
    public EventType type() {
        return EventType.DesignCancelRequested;
    }
}
