package io.sagebench.results.domain;

import java.time.Instant;
import java.util.List;

/** A DesignAccepted: {@code reusedRuns} are runs design-service reused from earlier designs (not in runCount). */
public record DesignAccepted(String designId, String name, int runCount, List<String> runIds, Instant acceptedAt,
                             int reusedRuns) {
}
