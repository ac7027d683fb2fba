package io.sagebench.contracts.events;

import com.fasterxml.jackson.annotation.JsonValue;
import io.sagebench.contracts.EventType;

import java.time.Instant;

/** A run waits for quota, rate or a spending ceiling instead of failing. */
public record RunDeferred(
        String runId,
        String designId,
        Reason reason,
        String detail,
        Double retryAfterSeconds,
        Instant deferredAt) implements Event {

    @Override
    public EventType type() {
        return EventType.RunDeferred;
    }

    public enum Reason {
        QUOTA("quota"),
        RATE("rate"),
        THROTTLING("throttling"),
        CAPACITY("capacity"),
        BUDGET("budget"),
        DESIGNER_CEILING("designer-ceiling"),
        ACCOUNT_CEILING("account-ceiling");

        private final String wire;

        Reason(String wire) {
            this.wire = wire;
        }

        @JsonValue
        public String wire() {
            return wire;
        }
    }
}
