package io.sagebench.design.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sagebench.testkit.TestTopics;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static io.sagebench.design.it.Callers.alice;
import static io.sagebench.design.it.Callers.signed;
import static io.sagebench.design.it.DesignServiceIT.MAPPER;
import static io.sagebench.design.it.DesignServiceIT.WAIT;
import static io.sagebench.design.it.DesignServiceIT.records;
import static io.sagebench.design.it.DesignServiceIT.small;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/operations.md for design-service: the business metrics move at /q/metrics when designs are accepted,
 * rejected, cancelled and consumed; the outbox gauges, Kafka client and pool metrics are exported; the readiness check
 * follows Kafka and the database; and one trace per design: the traceparent of an incoming DesignSubmitted (or of the
 * REST call) is the trace of DesignAccepted and of every RunPlanned.
 */
@QuarkusTest
class ObservabilityIT {

    @Inject
    InMemorySpanExporter spans;

    static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /**
     * The sum of a Prometheus series' samples whose labels include {@code labels} (0 when absent); a sample may be
     * followed by an exemplar (# {trace_id=…}).
     */
    static double value(String scrape, String name, String... labels) {
        double sum = 0;
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})?\\s+(\\S+)").matcher(scrape);
        while (m.find()) {
            String found = m.group(1) == null ? "" : m.group(1);
            boolean all = true;
            for (String l : labels) {
                all &= found.contains(l);
            }
            if (all) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }

    static boolean exported(String scrape, String name) {
        return Pattern.compile("(?m)^" + Pattern.quote(name) + "[{ ]").matcher(scrape).find();
    }

    @Test
    void businessMetricsMoveWithTheWork() throws Exception {
        String before = scrape();
        alice().contentType(ContentType.JSON).body(small("obs-metrics").toString()).post("/designs").then().statusCode(201);
        ObjectNode attack = small("obs-rejected");
        ((ObjectNode) attack.get("hyperparameters")).put("sagemaker_program", "evil.py");
        alice().contentType(ContentType.JSON).body(attack.toString()).post("/designs").then().statusCode(400);
        alice().contentType(ContentType.JSON).body(small("obs-budget").put("budgetUsd", 1).toString()).post("/designs")
                .then().statusCode(400);
        alice().post("/designs/obs-metrics/cancel").then().statusCode(202);
        TestTopics.produce("bench.designs", "obs-kafka", small("obs-kafka").toString(), signed(null));
        TestTopics.produce("bench.designs", "obs-kafka-bad", "{not json", signed(null));
        assertEquals(2, records("bench.runs", 2, "obs-kafka-", "RunPlanned").size());
        TestTopics.consume("bench.dlq.design-service", 1, WAIT, r -> "obs-kafka-bad".equals(r.key()));

        await().atMost(WAIT).untilAsserted(() -> {
            String after = scrape();
            assertEquals(2, value(after, "sagebench_designs_accepted_total")
                    - value(before, "sagebench_designs_accepted_total"), 0.001, () -> after.lines()
                    .filter(l -> l.startsWith("sagebench")).collect(java.util.stream.Collectors.joining("\n")));
            assertEquals(4, value(after, "sagebench_runs_planned_total")
                    - value(before, "sagebench_runs_planned_total"), 0.001);
            assertEquals(1, value(after, "sagebench_designs_cancelled_total")
                    - value(before, "sagebench_designs_cancelled_total"), 0.001);
            for (String rule : List.of("reserved-hyperparameter", "budget", "validation")) {
                assertEquals(1, value(after, "sagebench_designs_rejected_total", "rule=\"" + rule + "\"")
                        - value(before, "sagebench_designs_rejected_total", "rule=\"" + rule + "\""), 0.001, rule);
            }
            assertTrue(value(after, "sagebench_quoted_usd_total", "design_id=\"obs-metrics\"") > 0, "quoted USD");
            assertTrue(value(after, "sagebench_events_consumed_total", "topic=\"bench.designs\"", "outcome=\"processed\"")
                    > value(before, "sagebench_events_consumed_total", "topic=\"bench.designs\"", "outcome=\"processed\""));
            assertTrue(value(after, "sagebench_events_consumed_total", "topic=\"bench.designs\"", "outcome=\"dead-lettered\"")
                    > value(before, "sagebench_events_consumed_total", "topic=\"bench.designs\"", "outcome=\"dead-lettered\""));
            // the REST design's own DesignSubmitted record comes back as a duplicate
            assertTrue(value(after, "sagebench_events_consumed_total", "topic=\"bench.designs\"", "outcome=\"duplicate\"")
                    > value(before, "sagebench_events_consumed_total", "topic=\"bench.designs\"", "outcome=\"duplicate\""));
        });
        String now = scrape();
        for (String name : List.of("sagebench_outbox_backlog", "sagebench_outbox_oldest_age_seconds",
                "kafka_consumer_fetch_manager_records_lag_max", "kafka_producer_record_send_total", "agroal_active_count", "http_server_requests_seconds_count")) {
            assertTrue(exported(now, name), name + " is not exported");
        }
        await().atMost(WAIT).until(() -> value(scrape(), "sagebench_outbox_backlog") == 0);
    }

    @Test
    void readinessFollowsKafkaAndTheDatabase() throws Exception {
        JsonNode ready = MAPPER.readTree(given().get("/q/health/ready").then().statusCode(200).extract().asString());
        String names = ready.get("checks").findValuesAsText("name").toString();
        assertTrue(names.contains("Kafka") && names.contains("Database"), names);
    }

    static String traceId() {
        return HexFormat.of().formatHex(ThreadLocalRandom.current().ints(16, 0, 256)
                .collect(java.io.ByteArrayOutputStream::new, (o, b) -> o.write(b), (a, b) -> { }).toByteArray());
    }

    static String traceOf(ConsumerRecord<String, String> r) {
        String traceparent = TestTopics.header(r, "traceparent");
        assertTrue(traceparent != null && traceparent.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]"), traceparent);
        return traceparent.split("-")[1];
    }

    @Test
    void theIncomingDesignsTraceReachesEveryRunPlanned() {
        String trace = traceId();
        String parent = "00-" + trace + "-00f067aa0ba902b7-01";
        TestTopics.produce("bench.designs", "obs-trace", small("obs-trace").toString(),
                signed(Map.of("event-type", "DesignSubmitted", "traceparent", parent)));
        List<ConsumerRecord<String, String>> planned = records("bench.runs", 2, "obs-trace-", "RunPlanned");
        assertEquals(2, planned.size());
        planned.forEach(r -> assertEquals(trace, traceOf(r), r.key()));
        assertEquals(trace, traceOf(records("bench.design-status", 1, "obs-trace", "DesignAccepted").get(0)));
        // the service's own span is in that trace and names the design
        await().atMost(WAIT).until(() -> spans.getFinishedSpanItems().stream().anyMatch(s ->
                s.getTraceId().equals(trace)
                        && "obs-trace".equals(s.getAttributes().get(AttributeKey.stringKey("sagebench.design_id")))));
    }

    @Test
    void theRestCallsTraceReachesEveryRunPlanned() {
        String trace = traceId();
        alice().header("traceparent", "00-" + trace + "-00f067aa0ba902b7-01").contentType(ContentType.JSON)
                .body(small("obs-rest-trace").toString()).post("/designs").then().statusCode(201);
        List<ConsumerRecord<String, String>> planned = records("bench.runs", 2, "obs-rest-trace-", "RunPlanned");
        assertEquals(2, planned.size());
        planned.forEach(r -> assertEquals(trace, traceOf(r), r.key()));
        assertEquals(trace, traceOf(records("bench.design-status", 1, "obs-rest-trace", "DesignAccepted").get(0)));
    }
}
