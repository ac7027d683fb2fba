package io.sagebench.contracts.events;

import io.sagebench.contracts.EventType;

import java.time.Instant;
import java.util.List;

/** The design was refused, with every problem found. {@code designId} is null when the design had none usable. */
public record DesignRejected(String designId, List<Violation> errors, Instant rejectedAt) implements Event {

    @Override
    public EventType type() {
        return EventType.DesignRejected;
    }

    /** One problem: where in the design (a JSON path), what is wrong, and the rule it breaks. */
    public record Violation(String path, String message, String rule) {
    }
}
