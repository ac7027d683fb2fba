package io.sagebench.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.sagebench.testkit.EventContract;
import io.sagebench.testkit.TestTopics;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Metrics and traces as operators see them: /q/metrics scraped before and after the service does its work (the names
 * of docs/operations.md move), and one design = one trace: the RunPlanned record's trace id reaches the RunResult's and
 * the DesignCompleted's traceparent header, through a span carrying the run's attributes.
 */
@QuarkusTest
class ResultsObservabilityIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** name{labels} value, then maybe an exemplar ("# {trace_id=…} …") in the OpenMetrics format. */
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})?\\s+(\\S+)(\\s+#.*)?$");

    @Inject
    InMemorySpanExporter spans;

    /** Every sample of the Prometheus scrape, by name and its label set as printed. */
    private static Map<String, Double> scrape() {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Map<String, Double> samples = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE.matcher(line.trim());
            if (!line.startsWith("#") && m.matches()) {
                samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
            }
        }
        return samples;
    }

    /** The sum over the samples of {@code name} whose labels contain every {@code label="value"} given. */
    private static String dump(Map<String, Double> samples, String prefix) {
        return samples.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).map(Object::toString).sorted()
                .collect(java.util.stream.Collectors.joining("\n"));
    }

    private static double value(Map<String, Double> samples, String name, String... labels) {
        double sum = 0;
        for (Map.Entry<String, Double> s : samples.entrySet()) {
            String key = s.getKey();
            if (!(key.equals(name) || key.startsWith(name + "{"))) {
                continue;
            }
            boolean all = true;
            for (String l : labels) {
                all &= key.contains(l);
            }
            if (all) {
                sum += s.getValue();
            }
        }
        return sum;
    }

    private static String traceparent(String traceId) {
        byte[] span = new byte[8];
        ThreadLocalRandom.current().nextBytes(span);
        return "00-" + traceId + "-" + HexFormat.of().formatHex(span) + "-01";
    }

    private static String newTraceId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    @Test
    void aDesignIsOneTraceFromRunPlannedToRunResultAndDesignCompleted() throws Exception {
        String design = "it-trace";
        String run = TestEvents.runId(design, 1);
        String traceId = newTraceId();
        EmulatorJobs.runToCompletion(run, "ml.p3.2xlarge", 1, 1000);
        TestEvents.produce("bench.design-status", design, "DesignAccepted", TestEvents.designAccepted(design, List.of(run)));
        TestTopics.produce("bench.runs", run, TestEvents.runPlanned(design, 1, "ml.p3.2xlarge", 1, 1, 1000, "0a0b0c0d0e0f"),
                Map.of("event-id", UUID.randomUUID().toString(), "event-type", "RunPlanned", "schema-version", "1",
                        "traceparent", traceparent(traceId)));
        TestEvents.produce("bench.launches", run, "RunLaunched", TestEvents.runLaunched(design, run, "ml.p3.2xlarge", 1));
        // The job state comes in another trace (monitor's): the result still belongs to the design's.
        TestTopics.produce("bench.job-states", TestEvents.jobName(run),
                TestEvents.jobState(design, run, "Completed", "Completed"),
                Map.of("event-id", UUID.randomUUID().toString(), "event-type", "TrainingJobStateChanged",
                        "schema-version", "1", "traceparent", traceparent(newTraceId())));

        ConsumerRecord<String, String> result = TestTopics.consume("bench.results", 1, Duration.ofSeconds(60),
                r -> run.equals(r.key())).get(0);
        String resultParent = TestTopics.header(result, "traceparent");
        assertNotNull(resultParent, "RunResult carries a traceparent");
        assertEquals(traceId, resultParent.substring(3, 35), "RunResult is in the RunPlanned's trace: " + resultParent);
        ConsumerRecord<String, String> completed = TestTopics.consume("bench.design-status", 1, Duration.ofSeconds(60),
                r -> design.equals(r.key()) && "DesignCompleted".equals(TestTopics.header(r, "event-type"))).get(0);
        assertEquals(traceId, TestTopics.header(completed, "traceparent").substring(3, 35), "DesignCompleted too");

        // The span that finished the run is in the trace, is the RunResult's parent, and says which run it was.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            SpanData finish = spans.getFinishedSpanItems().stream()
                    .filter(s -> s.getTraceId().equals(traceId) && s.getName().equals("finish run")).findFirst()
                    .orElseThrow(() -> new AssertionError("no 'finish run' span in trace " + traceId + ": "
                            + spans.getFinishedSpanItems().stream().map(SpanData::getName).toList()));
            assertEquals(finish.getSpanId(), resultParent.substring(36, 52));
            assertEquals(run, finish.getAttributes().get(AttributeKey.stringKey("sagebench.run_id")));
            assertEquals(design, finish.getAttributes().get(AttributeKey.stringKey("sagebench.design_id")));
            assertEquals("0a0b0c0d0e0f", finish.getAttributes().get(AttributeKey.stringKey("sagebench.cell_id")));
            assertEquals(TestEvents.jobName(run), finish.getAttributes().get(AttributeKey.stringKey("sagebench.job_name")));
        });
    }

    @Test
    void businessMetricsMoveWhenTheServiceWorks() throws Exception {
        String design = "it-metrics";
        String done = TestEvents.runId(design, 1);
        String late = TestEvents.runId(design, 2);
        String launchFailed = TestEvents.runId(design, 3);
        Map<String, Double> before = scrape();

        EmulatorJobs.runToCompletion(done, "ml.p3.2xlarge", 1, 1000);
        String accepted = TestEvents.designAccepted(design, List.of(done, late, launchFailed))
                .replace("\"acceptedAt\"", "\"reusedFrom\":{\"" + design + "-r004\":\"it-earlier-r001\"},\"acceptedAt\"");
        EventContract.assertValid("DesignAccepted", accepted);
        TestEvents.produce("bench.design-status", design, "DesignAccepted", accepted);
        String planned = TestEvents.produce("bench.runs", done, "RunPlanned",
                TestEvents.runPlanned(design, 1, "ml.p3.2xlarge", 1, 1, 1000, "111111111111"));
        // Quoted one second, launched an hour ago, still running: overdue.
        TestEvents.produce("bench.runs", late, "RunPlanned",
                TestEvents.runPlanned(design, 2, "ml.p3.2xlarge", 1, 1, 1000, "222222222222")
                        .replace("\"seconds\":600", "\"seconds\":1"));
        TestEvents.produce("bench.runs", launchFailed, "RunPlanned",
                TestEvents.runPlanned(design, 3, "ml.p3.2xlarge", 1, 1, 1000, "333333333333"));
        TestEvents.produce("bench.launches", late, "RunLaunched", TestEvents.runLaunched(design, late, "ml.p3.2xlarge", 1)
                .replaceFirst("\"launchedAt\":\"[^\"]+\"", "\"launchedAt\":\"" + Instant.now().minusSeconds(3600) + "\""));
        // The same RunPlanned record again (same event-id): a duplicate.
        TestTopics.produce("bench.runs", done, TestEvents.runPlanned(design, 1, "ml.p3.2xlarge", 1, 1, 1000, "111111111111"),
                Map.of("event-id", planned, "event-type", "RunPlanned"));
        TestTopics.produce("bench.runs", "poison", "{not json", Map.of("event-type", "RunPlanned"));

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<String, Double> now = scrape();
            assertTrue(value(now, "sagebench_runs_in_progress") >= value(before, "sagebench_runs_in_progress") + 3,
                    "three runs planned, none ended");
            assertTrue(value(now, "sagebench_runs_overdue") >= value(before, "sagebench_runs_overdue") + 1,
                    "the run quoted 1 s and launched an hour ago");
            assertEquals(value(before, "sagebench_events_consumed_total", "topic=\"bench.runs\"", "outcome=\"duplicate\"") + 1,
                    value(now, "sagebench_events_consumed_total", "topic=\"bench.runs\"", "outcome=\"duplicate\""),
                    () -> dump(now, "sagebench_events"));
            assertEquals(value(before, "sagebench_events_consumed_total", "topic=\"bench.runs\"", "outcome=\"dead-lettered\"") + 1,
                    value(now, "sagebench_events_consumed_total", "topic=\"bench.runs\"", "outcome=\"dead-lettered\""),
                    () -> dump(now, "sagebench_events"));
            assertTrue(value(now, "sagebench_events_consumed_total", "topic=\"bench.runs\"", "outcome=\"processed\"")
                    >= value(before, "sagebench_events_consumed_total", "topic=\"bench.runs\"", "outcome=\"processed\"") + 3);
        });
        // DesignAccepted comes on its own topic and channel: the runs' metrics moving says nothing about it.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                Api.asViewer().get("/designs/" + design + "/progress").then().statusCode(200)
                        .body("reused", org.hamcrest.Matchers.equalTo(1)));
        double inProgressBeforeEnding = value(scrape(), "sagebench_runs_in_progress");

        TestEvents.produce("bench.launches", launchFailed, "RunLaunchFailed", """
                {"runId":"%s","designId":"%s","attempt":1,"trainingJobName":"%s","failureClass":"validation",
                 "errorCode":"ValidationException","message":"bad request","retryable":false}"""
                .formatted(launchFailed, design, TestEvents.jobName(launchFailed)));
        TestEvents.produce("bench.launches", done, "RunLaunched", TestEvents.runLaunched(design, done, "ml.p3.2xlarge", 1));
        TestEvents.produce("bench.job-states", TestEvents.jobName(done), "TrainingJobStateChanged",
                TestEvents.jobState(design, done, "Completed", "Completed"));
        JsonNode result = JSON.readTree(TestTopics.consume("bench.results", 1, Duration.ofSeconds(60),
                r -> done.equals(r.key())).get(0).value());

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<String, Double> now = scrape();
            assertEquals(value(before, "sagebench_runs_finished_total", "status=\"Completed\"") + 1,
                    value(now, "sagebench_runs_finished_total", "status=\"Completed\""));
            assertEquals(value(before, "sagebench_runs_failed_total", "failure_class=\"validation\"") + 1,
                    value(now, "sagebench_runs_failed_total", "failure_class=\"validation\""));
            assertEquals(result.path("costUsd").asDouble(),
                    value(now, "sagebench_billed_usd_total", "design_id=\"" + design + "\""), 1e-9);
            assertTrue(value(now, "sagebench_aws_calls_seconds_count", "operation=\"DescribeTrainingJob\"",
                    "outcome=\"success\"") >= value(before, "sagebench_aws_calls_seconds_count",
                    "operation=\"DescribeTrainingJob\"", "outcome=\"success\"") + 1);
            assertTrue(value(now, "sagebench_events_consumed_total", "topic=\"bench.job-states\"", "outcome=\"processed\"")
                    >= value(before, "sagebench_events_consumed_total", "topic=\"bench.job-states\"",
                    "outcome=\"processed\"") + 1);
            // two of the three ended (one result, one launch failed for good); the overdue one is still running
            assertTrue(value(now, "sagebench_runs_in_progress") <= inProgressBeforeEnding - 2,
                    "in progress " + value(now, "sagebench_runs_in_progress") + " after " + inProgressBeforeEnding);
        });
        Map<String, Double> now = scrape();
        // Exported even when idle (sagebench_aws_retries_total appears with the first retry, as counters do).
        for (String name : List.of("sagebench_outbox_backlog", "sagebench_outbox_oldest_age_seconds",
                "kafka_consumer_fetch_manager_records_lag_max", "agroal_active_count")) {
            assertTrue(now.keySet().stream().anyMatch(k -> k.equals(name) || k.startsWith(name + "{")),
                    () -> name + " is exported; exported: " + now.keySet().stream().map(k -> k.replaceAll("\\{.*", ""))
                            .distinct().sorted().toList());
        }
    }
}
