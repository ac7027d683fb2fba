package io.sagebench.monitor.it;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.sagebench.testkit.ElasticMqResource;
import io.sagebench.testkit.JwtIssuerResource;
import io.sagebench.testkit.KafkaBrokerResource;
import io.sagebench.testkit.MariaDbResource;
import io.sagebench.testkit.TestTokens;
import io.sagebench.testkit.TestTopics;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One trace per design: SageMaker's events carry no trace context, so the monitor publishes every state of a job in
 * the trace of the RunLaunched that announced it (ReconciliationIT checks the same for reconciled states).
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(value = MariaDbResource.class,
        initArgs = @ResourceArg(name = "schema", value = "sagebench_monitor_test"))
@QuarkusTestResource(ElasticMqResource.class)
@QuarkusTestResource(JwtIssuerResource.class)
class TracingIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    InMemorySpanExporter spans;

    static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static void send(String... bodies) {
        try (SqsClient sqs = ElasticMqResource.client()) {
            for (String body : bodies) {
                sqs.sendMessage(b -> b.queueUrl(ElasticMqResource.queueUrl()).messageBody(body));
            }
        }
    }

    private static String traceIdOf(String traceparent) {
        assertNotNull(traceparent, "the record carries a traceparent");
        assertTrue(traceparent.matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$"), traceparent);
        return traceparent.substring(3, 35);
    }

    @Test
    void everyStateOfALaunchedJobTravelsInTheLaunchsTrace() {
        String traceId = randomHex(16);
        String launcherSpan = randomHex(8);
        String designId = "tr" + randomHex(4);
        String runId = designId + "-r001";
        String job = "bench-" + runId + "-a1";
        String cellId = randomHex(6);
        String launch = """
                {"runId":"%s","designId":"%s","cellId":"%s","attempt":1,"trainingJobName":"%s","trainingJobArn":"arn:x"}
                """.formatted(runId, designId, cellId, job);
        TestTopics.produce("bench.launches", runId, launch, Map.of("event-id", UUID.randomUUID().toString(),
                "event-type", "RunLaunched", "schema-version", "1",
                "traceparent", "00-" + traceId + "-" + launcherSpan + "-01"));
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(TestTokens.viewer("vera"))
                .get("/jobs/{name}", job).then().statusCode(200).body("launchedAt", notNullValue()));

        long t = System.currentTimeMillis();
        send(EventBridgeEvents.stateChange(job, "InProgress", "Starting", t),
                EventBridgeEvents.stateChange(job, "InProgress", "Training", t + 1000),
                EventBridgeEvents.stateChange(job, "Completed", "Completed", t + 2000));
        List<ConsumerRecord<String, String>> records = TestTopics.consume("bench.job-states", 3, WAIT,
                r -> job.equals(r.key()));
        assertEquals(3, records.size());
        List<String> traceparents = records.stream().map(r -> TestTopics.header(r, "traceparent")).toList();
        for (String traceparent : traceparents) {
            assertEquals(traceId, traceIdOf(traceparent), "state record in the launch's trace");
        }
        assertEquals(3, traceparents.stream().map(p -> p.substring(36, 52)).distinct().count(),
                "each state has its own span");
        assertTrue(records.get(0).value().contains("\"cellId\":\"" + cellId + "\""), "the launch's cell is published");

        // the spans behind them: the launch learned under the launcher's span, each state under the learned launch
        await().atMost(WAIT).untilAsserted(() -> {
            List<SpanData> ours = spans.getFinishedSpanItems().stream()
                    .filter(s -> job.equals(s.getAttributes().get(AttributeKey.stringKey("sagebench.job_name")))).toList();
            SpanData learned = ours.stream().filter(s -> s.getName().equals("monitor learn launch")).findFirst().orElseThrow();
            assertEquals(traceId, learned.getTraceId());
            assertEquals(launcherSpan, learned.getParentSpanId());
            assertEquals(runId, learned.getAttributes().get(AttributeKey.stringKey("sagebench.run_id")));
            assertEquals(designId, learned.getAttributes().get(AttributeKey.stringKey("sagebench.design_id")));
            assertEquals(cellId, learned.getAttributes().get(AttributeKey.stringKey("sagebench.cell_id")));
            List<SpanData> published = ours.stream().filter(s -> s.getName().equals("bench.job-states publish")).toList();
            assertEquals(3, published.size());
            for (SpanData s : published) {
                assertEquals(traceId, s.getTraceId());
                assertEquals(learned.getSpanId(), s.getParentSpanId());
                assertEquals(runId, s.getAttributes().get(AttributeKey.stringKey("sagebench.run_id")));
            }
            Set<String> spanIds = published.stream().map(SpanData::getSpanId).collect(Collectors.toSet());
            assertEquals(Set.copyOf(traceparents.stream().map(p -> p.substring(36, 52)).toList()), spanIds,
                    "each record's traceparent names its publish span");
        });
    }

    @Test
    void aJobSeenBeforeItsLaunchTakesTheTraceFromItsTag() {
        // SQS may deliver a job's first event before bench.launches delivers its RunLaunched; the launcher's
        // sagebench:traceparent tag then carries the design's trace
        String traceId = randomHex(16);
        String job = EventBridgeEvents.newJobName();
        String tags = "{\"sagebench:traceparent\":\"00-" + traceId + "-" + randomHex(8) + "-01\"}";
        send(EventBridgeEvents.stateChange(UUID.randomUUID().toString(), job, "InProgress", "Starting",
                System.currentTimeMillis(), false, tags));
        List<ConsumerRecord<String, String>> records = TestTopics.consume("bench.job-states", 1, WAIT,
                r -> job.equals(r.key()));
        assertEquals(1, records.size());
        assertEquals(traceId, traceIdOf(TestTopics.header(records.get(0), "traceparent")));
    }

    @Test
    void aJobWithNoKnownTraceStillGetsAWellFormedOne() {
        String job = EventBridgeEvents.newJobName();
        send(EventBridgeEvents.stateChange(job, "InProgress", "Starting", System.currentTimeMillis()));
        List<ConsumerRecord<String, String>> records = TestTopics.consume("bench.job-states", 1, WAIT,
                r -> job.equals(r.key()));
        assertEquals(1, records.size());
        traceIdOf(TestTopics.header(records.get(0), "traceparent"));
    }
}
