package io.sagebench.design.it;

import static io.sagebench.design.it.ObservabilityIT.exported;
import static io.sagebench.design.it.ObservabilityIT.scrape;
import static io.sagebench.design.it.ObservabilityIT.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Every design series a dashboard or an alert names (deploy/observability) is exported from start-up, at zero, before
 * any design or record has been handled: a rate over it reads 0, not "no data". A fresh start whose channels read
 * topics nobody writes, so no record left by another test moves a counter.
 */
@QuarkusTest
@TestProfile(MetricsAtStartIT.Quiet.class)
class MetricsAtStartIT {

    public static class Quiet implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mp.messaging.incoming.designs.topic", "bench.designs-metrics-at-start",
                    "mp.messaging.incoming.designs.group.id", "design-service-metrics-at-start",
                    "mp.messaging.incoming.results.topic", "bench.results-metrics-at-start",
                    "mp.messaging.incoming.results.group.id", "design-service-metrics-at-start");
        }
    }

    static final List<String> RULES = List.of("validation", "budget", "conflict", "reserved-hyperparameter",
            "hyperparameter-bounds", "image-not-allowed", "role-not-allowed", "s3-outside-buckets", "payload-too-large",
            "submitter-mismatch", "unauthenticated-submission");

    @Test
    void theDesignCountersExistAtZeroRightAfterStart() {
        String scrape = scrape();
        for (String name : List.of("sagebench_designs_accepted_total", "sagebench_designs_cancelled_total",
                "sagebench_runs_planned_total", "sagebench_designs_rejected_total", "sagebench_quoted_usd_total",
                "sagebench_events_consumed_total", "sagebench_outbox_backlog", "sagebench_outbox_oldest_age_seconds")) {
            assertTrue(exported(scrape, name), name + " is not exported at start");
        }
        for (String name : List.of("sagebench_designs_accepted_total", "sagebench_designs_cancelled_total",
                "sagebench_runs_planned_total", "sagebench_quoted_usd_total")) {
            assertEquals(0, value(scrape, name), 0.0, name);
        }
        for (String rule : RULES) {
            String label = "rule=\"" + rule + "\"";
            assertTrue(Pattern.matches(scrape, "sagebench_designs_rejected_total", label), "no series for " + label);
            assertEquals(0, value(scrape, "sagebench_designs_rejected_total", label), 0.0, label);
        }
        for (String topic : List.of("bench.designs", "bench.results")) {
            for (String outcome : List.of("processed", "duplicate", "dead-lettered")) {
                String[] labels = {"topic=\"" + topic + "\"", "outcome=\"" + outcome + "\""};
                assertTrue(Pattern.matches(scrape, "sagebench_events_consumed_total", labels),
                        "no series for " + String.join(",", labels));
                assertEquals(0, value(scrape, "sagebench_events_consumed_total", labels), 0.0, String.join(",", labels));
            }
        }
    }

    /** Whether a sample of the series carries all the labels. */
    static final class Pattern {
        static boolean matches(String scrape, String name, String... labels) {
            return scrape.lines().filter(l -> l.startsWith(name + "{"))
                    .anyMatch(l -> List.of(labels).stream().allMatch(l::contains));
        }
    }
}
