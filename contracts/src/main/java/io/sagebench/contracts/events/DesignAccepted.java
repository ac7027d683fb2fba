package io.sagebench.contracts.events;

import io.sagebench.contracts.EventType;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** The design is valid, within budget, stored and expanded into {@code runIds}. */
public record DesignAccepted(
        String designId,
        String submittedBy,
        String name,
        int runCount,
        Long randomSeed,
        Quote quote,
        List<String> runIds,
        Instant acceptedAt) implements Event {

    @Override
    public EventType type() {
        return EventType.DesignAccepted;
    }

    /** The estimate of the whole design against its budget. */
    public record Quote(BigDecimal totalUsd, double totalSeconds, BigDecimal budgetUsd, String priceBookVersion) {
    }
}
