package io.sagebench.design.domain;

import java.util.List;

/**
 * The outcome of planning a design: either errors (every one found), or the runs in their seeded random order with
 * the quote.
 */
public record Plan(String designId, String content, Design design, long randomSeed, List<PlannedRun> runs,
                   DesignQuote quote, List<ValidationError> errors) {

    public record DesignQuote(double totalUsd, double totalSeconds, double budgetUsd, String priceBookVersion) {
    }

    public boolean valid() {
        return errors.isEmpty();
    }
}
