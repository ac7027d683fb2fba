package io.sagebench.design.domain;

import java.util.List;
import java.util.Map;

/**
 * The outcome of planning a design: either errors (every one found), or the runs in their seeded random order with
 * the quote.
 */
public record Plan(String designId, String content, Design design, long randomSeed, List<PlannedRun> runs,
                   DesignQuote quote, Map<String, String> reusedFrom, List<ValidationError> errors) {

    /**
     * The design's quote: what the runs to be planned cost (reused runs excluded), and what reuse saves.
     */
    public record DesignQuote(double totalUsd, double totalSeconds, double budgetUsd, String priceBookVersion,
                              int reusedRuns, double savedUsd) {
        public DesignQuote(double totalUsd, double totalSeconds, double budgetUsd, String priceBookVersion) {
            this(totalUsd, totalSeconds, budgetUsd, priceBookVersion, 0, 0);
        }
    }

    /** Runs to plan and publish: every run except those reused from an earlier design. */
    public List<PlannedRun> runsToPlan() {
        return runs.stream().filter(r -> !reusedFrom.containsKey(r.runId())).toList();
    }

    public boolean valid() {
        return errors.isEmpty();
    }
}
