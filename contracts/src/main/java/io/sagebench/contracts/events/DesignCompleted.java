package io.sagebench.contracts.events;

import io.sagebench.contracts.EventType;

import java.math.BigDecimal;
import java.time.Instant;

/** The last run of a design has ended: counts by outcome and what the design cost. */
public record DesignCompleted(
        String designId,
        int runCount,
        int succeeded,
        int failed,
        Integer stopped,
        BigDecimal totalCostUsd,
        Double totalBillableSeconds,
        Instant completedAt,
        Integer cancelled,
        Integer reusedRuns) implements Event {

    @Override
    public EventType type() {
        return EventType.DesignCompleted;
    }
}
