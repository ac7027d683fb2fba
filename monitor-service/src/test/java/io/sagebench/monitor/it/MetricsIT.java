package io.sagebench.monitor.it;

import io.sagebench.platform.aws.AwsCallMetrics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.sagebench.testkit.ElasticMqResource;
import io.sagebench.testkit.JwtIssuerResource;
import io.sagebench.testkit.KafkaBrokerResource;
import io.sagebench.testkit.MariaDbResource;
import io.sagebench.testkit.TestTopics;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The monitor's metrics (docs/operations.md, "Metrics") move when it works: SQS messages of every kind (accepted,
 * duplicate, regression, foreign, unparseable) and bench.launches records (learned, duplicate, poison) each move their
 * own counter, and the SQS calls are timed. (Reconciliations: ReconciliationIT; retries: AwsCallMetricsTest.)
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(value = MariaDbResource.class,
        initArgs = @ResourceArg(name = "schema", value = "sagebench_monitor_test"))
@QuarkusTestResource(ElasticMqResource.class)
@QuarkusTestResource(JwtIssuerResource.class)
class MetricsIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static double received(PrometheusScrape s) {
        return s.value("sagebench_job_events_received_total", Map.of("source", "sqs"));
    }

    private static double dropped(PrometheusScrape s, String reason) {
        return s.value("sagebench_job_events_dropped_total", Map.of("reason", reason));
    }

    private static double consumed(PrometheusScrape s, String outcome) {
        return s.value("sagebench_events_consumed_total", Map.of("topic", "bench.launches", "outcome", outcome));
    }

    private static double sqsCalls(PrometheusScrape s, String operation) {
        return s.value("sagebench_aws_calls_seconds_count", Map.of("operation", operation, "outcome", "success"));
    }

    @Test
    void everyKindOfInputMovesItsOwnCounter() {
        PrometheusScrape before = PrometheusScrape.now();
        // registered at start, so a dashboard sees zeros rather than gaps
        for (String name : new String[] {"sagebench_job_events_received_total", "sagebench_job_events_dropped_total",
                "sagebench_reconciliations_total", "sagebench_events_consumed_total", "sagebench_job_states_published_total",
                "sagebench_aws_calls_seconds_count", "kafka_consumer_fetch_manager_records_lag_max", "agroal_active_count"}) {
            assertTrue(before.has(name), name + " is exported");
        }

        String job = EventBridgeEvents.newJobName();
        long t = System.currentTimeMillis();
        String startingId = UUID.randomUUID().toString();
        String starting = EventBridgeEvents.stateChange(startingId, job, "InProgress", "Starting", t, false, "[]");
        try (SqsClient sqs = ElasticMqResource.client()) {
            for (String body : new String[] {
                    starting,
                    EventBridgeEvents.stateChange(job, "InProgress", "Training", t + 2000)}) {
                sqs.sendMessage(b -> b.queueUrl(ElasticMqResource.queueUrl()).messageBody(body));
            }
            await().atMost(WAIT).until(() -> TestTopics.consume("bench.job-states", 2, Duration.ofSeconds(2),
                    r -> job.equals(r.key())).size() == 2);
            for (String body : new String[] {
                    starting,                                                                        // duplicate
                    EventBridgeEvents.stateChange(job, "InProgress", "Downloading", t + 1000),       // regression
                    EventBridgeEvents.stateChange("other-" + UUID.randomUUID(), "InProgress", "Starting", t), // not ours
                    "{ not json " + UUID.randomUUID()}) {                                            // unparseable
                sqs.sendMessage(b -> b.queueUrl(ElasticMqResource.queueUrl()).messageBody(body));
            }
        }
        String launchJob = "bench-metrics" + UUID.randomUUID().toString().substring(0, 8) + "-r001-a1";
        String runId = launchJob.substring("bench-".length(), launchJob.length() - "-a1".length());
        String launch = """
                {"runId":"%s","designId":"%s","attempt":1,"trainingJobName":"%s","trainingJobArn":"arn:x"}
                """.formatted(runId, runId.substring(0, runId.length() - "-r001".length()), launchJob);
        String eventId = UUID.randomUUID().toString();
        Map<String, String> headers = Map.of("event-id", eventId, "event-type", "RunLaunched", "schema-version", "1");
        TestTopics.produce("bench.launches", runId, launch, headers);
        TestTopics.produce("bench.launches", runId, launch, headers);          // the same event again
        TestTopics.produceEvent("bench.launches", "x", "RunLaunched", "[\"not a launch\"]");

        await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            PrometheusScrape after = PrometheusScrape.now();
            assertTrue(received(after) - received(before) >= 6, "6 SQS messages received");
            assertTrue(after.value("sagebench_job_states_published_total", Map.of("source", "sqs"))
                    - before.value("sagebench_job_states_published_total", Map.of("source", "sqs")) >= 2, "2 published");
            for (String reason : new String[] {"duplicate", "regression", "unknown-job", "unparseable"}) {
                assertTrue(dropped(after, reason) - dropped(before, reason) >= 1, "dropped as " + reason);
            }
            for (String outcome : new String[] {"processed", "duplicate", "dead-lettered"}) {
                assertTrue(consumed(after, outcome) - consumed(before, outcome) >= 1, "bench.launches " + outcome);
            }
            assertTrue(sqsCalls(after, "ReceiveMessage") > sqsCalls(before, "ReceiveMessage"), "ReceiveMessage timed");
            assertTrue(sqsCalls(after, "DeleteMessageBatch") > sqsCalls(before, "DeleteMessageBatch"), "deletes timed");
        });
    }
}
