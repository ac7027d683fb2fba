package io.sagebench.results.domain;

/** A RunPlanned as results-service keeps it: the plan, and design's quote for it (each part may be missing). */
public record PlannedRun(RunPlan plan, Double quoteSeconds, Double quoteUsd, Double quoteHourlyPrice,
                         String quotePriceBookVersion) {
}
