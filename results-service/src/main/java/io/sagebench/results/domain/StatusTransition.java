package io.sagebench.results.domain;

import java.time.Instant;

/** One entry of DescribeTrainingJob's SecondaryStatusTransitions; {@code end} is null while the status lasts. */
public record StatusTransition(String status, Instant start, Instant end) {
}
