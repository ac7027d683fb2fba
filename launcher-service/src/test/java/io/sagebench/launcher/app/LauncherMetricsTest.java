package io.sagebench.launcher.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The series the dashboard and alerts name exist at zero before the first event (deploy/observability). */
class LauncherMetricsTest {

    @Test
    void everyNamedCounterSeriesExistsAtZeroFromStartUp() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        LauncherMetrics.registerZeroSeries(registry, List.of("ml.p3.2xlarge", "ml.p3.16xlarge"));
        for (String reason : LauncherMetrics.DEFERRAL_REASONS) {
            assertZero(registry.find("sagebench.runs.deferred").tag("reason", reason).counter(), reason);
        }
        for (String type : List.of("ml.p3.2xlarge", "ml.p3.16xlarge")) {
            for (String market : List.of("on-demand", "spot")) {
                assertZero(registry.find("sagebench.runs.launched").tag("instance_type", type).tag("market", market)
                        .counter(), type + " " + market);
            }
        }
        for (String topic : List.of("bench.runs", "bench.job-states", "bench.results")) {
            for (String outcome : List.of("processed", "duplicate", "dead-lettered", "unacknowledged")) {
                assertZero(registry.find("sagebench.events.consumed").tag("topic", topic).tag("outcome", outcome)
                        .counter(), topic + " " + outcome);
            }
        }
    }

    private static void assertZero(Counter counter, String what) {
        assertNotNull(counter, "no series for " + what);
        assertEquals(0, counter.count(), 0.0, what);
    }
}
