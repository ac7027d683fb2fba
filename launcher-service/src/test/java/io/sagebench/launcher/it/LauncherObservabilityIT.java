package io.sagebench.launcher.it;

import static io.restassured.RestAssured.given;
import static io.sagebench.launcher.it.LauncherTestSupport.JOB_STATES;
import static io.sagebench.launcher.it.LauncherTestSupport.LAUNCHES;
import static io.sagebench.launcher.it.LauncherTestSupport.RUNS;
import static io.sagebench.launcher.it.LauncherTestSupport.json;
import static io.sagebench.launcher.it.LauncherTestSupport.launchEvents;
import static io.sagebench.launcher.it.LauncherTestSupport.newDesignId;
import static io.sagebench.launcher.it.LauncherTestSupport.tree;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.sagebench.launcher.domain.RunPlans;
import io.sagebench.launcher.app.RunSpans;
import io.sagebench.testkit.EventContract;
import io.sagebench.testkit.TestTopics;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * Issue 11 for the launcher: one trace per design (RunPlanned's traceparent -> RunLaunched, RunAttemptEnded), and the
 * metrics of docs/operations.md moving when the launcher does its work.
 */
@QuarkusTest
class LauncherObservabilityIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    SageMakerClient sageMaker;
    @Inject
    InMemorySpanExporter spans;

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String traceIdOf(String traceparent) {
        assertNotNull(traceparent, "traceparent header");
        assertTrue(traceparent.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]"), traceparent);
        return traceparent.substring(3, 35);
    }

    @Test
    void theRunPlannedTraceContinuesIntoRunLaunchedAndRunAttemptEnded() {
        String traceId = hex(16);
        String designId = newDesignId();
        Map<String, Object> run = RunPlans.p3Baseline(designId, 1, 30);
        String runId = (String) run.get("runId");
        String payload = json(run);
        EventContract.assertValid("RunPlanned", payload);
        TestTopics.produce(RUNS, runId, payload, Map.of("event-id", UUID.randomUUID().toString(),
                "event-type", "RunPlanned", "schema-version", "1", "traceparent", "00-" + traceId + "-" + hex(8) + "-01"));

        var launched = launchEvents(runId, "RunLaunched", 1, WAIT);
        assertEquals(1, launched.size());
        assertEquals(traceId, traceIdOf(TestTopics.header(launched.get(0), "traceparent")),
                "RunLaunched continues the RunPlanned's trace");
        // the job carries it too, for monitor-service when the job's first events overtake RunLaunched
        var tags = sageMaker.listTags(b -> b.resourceArn(
                tree(launched.get(0).value()).get("trainingJobArn").asText())).tags();
        assertTrue(tags.stream().anyMatch(t -> t.key().equals("sagebench:traceparent")
                && traceIdOf(t.value()).equals(traceId)), tags::toString);

        // the job's end comes from monitor-service in another trace; RunAttemptEnded still continues the run's own
        String jobName = "bench-" + runId + "-a1";
        Map<String, Object> ended = new LinkedHashMap<>();
        ended.put("trainingJobName", jobName);
        ended.put("runId", runId);
        ended.put("designId", designId);
        ended.put("status", "Completed");
        ended.put("terminal", true);
        TestTopics.produce(JOB_STATES, jobName, json(ended), Map.of("event-id", UUID.randomUUID().toString(),
                "event-type", "TrainingJobStateChanged", "schema-version", "1",
                "traceparent", "00-" + hex(16) + "-" + hex(8) + "-01"));
        var attemptEnded = launchEvents(runId, "RunAttemptEnded", 1, WAIT);
        assertEquals(1, attemptEnded.size());
        assertEquals(traceId, traceIdOf(TestTopics.header(attemptEnded.get(0), "traceparent")));

        // the launcher's own spans are in the trace, named by the run
        await().atMost(WAIT).untilAsserted(() -> {
            var ours = spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList();
            assertTrue(ours.stream().anyMatch(s -> s.getName().startsWith("CreateTrainingJob")
                    && jobName.equals(s.getAttributes().get(RunSpans.JOB_NAME))
                    && runId.equals(s.getAttributes().get(RunSpans.RUN_ID))
                    && designId.equals(s.getAttributes().get(RunSpans.DESIGN_ID))), ours::toString);
            assertTrue(ours.stream().map(SpanData::getName).anyMatch("launcher RunPlanned"::equals), ours::toString);
        });
    }

    @Test
    void businessAndTechnicalMetricsMoveWithTheWork() {
        String before = scrape();
        double launched = value(before, "sagebench_runs_launched_total", "instance_type=\"ml.p3.2xlarge\"",
                "market=\"on-demand\"");
        double consumed = value(before, "sagebench_events_consumed_total", "topic=\"bench.runs\"",
                "outcome=\"processed\"");
        double createCalls = value(before, "sagebench_aws_calls_seconds_count", "operation=\"CreateTrainingJob\"",
                "outcome=\"success\"");
        double deadLettered = value(before, "sagebench_events_consumed_total", "topic=\"bench.runs\"",
                "outcome=\"dead-lettered\"");
        double spend = value(before, "sagebench_spend_today_usd", "scope=\"account\"");

        Map<String, Object> run = RunPlans.p3Baseline(newDesignId(), 1, 30);
        String runId = (String) run.get("runId");
        LauncherTestSupport.planRun(run);
        assertEquals(1, launchEvents(runId, "RunLaunched", 1, WAIT).size());
        TestTopics.produce(RUNS, "garbage", "{not json", Map.of("event-type", "RunPlanned"));

        await().atMost(WAIT).untilAsserted(() -> {
            String after = scrape();
            assertEquals(launched + 1, value(after, "sagebench_runs_launched_total",
                    "instance_type=\"ml.p3.2xlarge\"", "market=\"on-demand\""), 0.0001, () -> sagebenchLines(after));
            assertTrue(value(after, "sagebench_events_consumed_total", "topic=\"bench.runs\"",
                    "outcome=\"processed\"") >= consumed + 1);
            assertTrue(value(after, "sagebench_events_consumed_total", "topic=\"bench.runs\"",
                    "outcome=\"dead-lettered\"") >= deadLettered + 1);
            assertTrue(value(after, "sagebench_aws_calls_seconds_count", "operation=\"CreateTrainingJob\"",
                    "outcome=\"success\"") >= createCalls + 1);
            assertTrue(value(after, "sagebench_spend_today_usd", "scope=\"account\"") >= spend + 75.38 - 0.001,
                    "the run's quote is in today's spend");
            assertTrue(value(after, "sagebench_runs_running") >= 1);
            assertEquals(10_000_000, value(after, "sagebench_spend_ceiling_usd", "scope=\"account\""), 0.001);
            assertEquals(1_000_000, value(after, "sagebench_spend_ceiling_usd", "scope=\"designer\""), 0.001);
            assertTrue(value(after, "sagebench_outbox_backlog") >= 0);
            assertTrue(value(after, "sagebench_outbox_oldest_age_seconds") >= 0);
            assertTrue(after.contains("agroal_active_count"), "datasource metrics");
            assertTrue(after.contains("kafka_consumer_fetch_manager_records_lag_max"), "Kafka client metrics");
        });
    }

    @Test
    void readinessAsksSageMakerAtMostOncePerCachePeriodAndNeverSpendsTheLaunchRate() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'sagemaker' }.status", org.hamcrest.Matchers.equalTo("UP"));
        double lists = value(scrape(), "sagebench_aws_calls_seconds_count", "operation=\"ListTrainingJobs\"");
        double creates = value(scrape(), "sagebench_aws_calls_seconds_count", "operation=\"CreateTrainingJob\"");
        for (int i = 0; i < 10; i++) {
            given().get("/q/health/ready").then().statusCode(200);
        }
        String after = scrape();
        assertTrue(value(after, "sagebench_aws_calls_seconds_count", "operation=\"ListTrainingJobs\"") <= lists + 1,
                "ten probes, at most one call (cached for 30 s)");
        assertEquals(creates, value(after, "sagebench_aws_calls_seconds_count", "operation=\"CreateTrainingJob\""));
    }

    private static String sagebenchLines(String scrape) {
        return String.join("\n", scrape.lines().filter(l -> l.startsWith("sagebench_")).toList());
    }

    private static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /**
     * The value of the first sample of {@code name} whose labels contain all {@code labels} (an exemplar after it is
     * skipped); a counter that does not exist yet counts 0, any other absent sample -1.
     */
    static double value(String scrape, String name, String... labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})?\\s+(\\S+)(?:\\s+#.*)?$").matcher(scrape);
        while (m.find()) {
            String found = m.group(1) == null ? "" : m.group(1);
            boolean all = true;
            for (String label : labels) {
                all &= found.contains(label);
            }
            if (all) {
                return Double.parseDouble(m.group(2));
            }
        }
        return labels.length > 0 && name.endsWith("_total") || name.endsWith("_count") ? 0 : -1;
    }
}
