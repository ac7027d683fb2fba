package io.sagebench.results.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sagebench.results.domain.FailureClass;

/** The series the dashboard and alerts name exist at zero before the first event (deploy/observability). */
class ResultsMetricsTest {

    @Test
    void everyNamedCounterSeriesExistsAtZeroFromStartUp() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ResultsMetrics.registerZeroSeries(registry);
        for (String failureClass : FailureClass.ALL) {
            assertZero(registry.find("sagebench.runs.failed").tag("failure_class", failureClass).counter(), failureClass);
        }
        for (String status : List.of("Completed", "Failed", "Stopped")) {
            assertZero(registry.find("sagebench.runs.finished").tag("status", status).counter(), status);
        }
        for (String topic : List.of("bench.runs", "bench.design-status", "bench.launches", "bench.job-states")) {
            for (String outcome : List.of("processed", "duplicate", "dead-lettered")) {
                assertZero(registry.find("sagebench.events.consumed").tag("topic", topic).tag("outcome", outcome)
                        .counter(), topic + " " + outcome);
            }
        }
        assertZero(registry.find("sagebench.billed.usd").counter(), "billed");
    }

    private static void assertZero(Counter counter, String what) {
        assertNotNull(counter, "no series for " + what);
        assertEquals(0, counter.count(), 0.0, what);
    }
}
