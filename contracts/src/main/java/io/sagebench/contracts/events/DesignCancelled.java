package io.sagebench.contracts.events;

import io.sagebench.contracts.EventType;

import java.time.Instant;
import java.util.List;

/** A design's unfinished runs were asked to stop. */
public record DesignCancelled(String designId, List<String> cancelledRunIds, Instant cancelledAt) implements Event {

    @Override
    public EventType type() {
        return EventType.DesignCancelled;
    }
}
