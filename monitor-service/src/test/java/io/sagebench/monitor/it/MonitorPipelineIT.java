package io.sagebench.monitor.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.sagebench.testkit.MariaDbResource;
import io.sagebench.testkit.ElasticMqResource;
import io.sagebench.testkit.EventContract;
import io.sagebench.testkit.KafkaBrokerResource;
import io.sagebench.testkit.TestTopics;
import io.sagebench.testkit.TestTokens;
import io.sagebench.testkit.JwtIssuerResource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(value = MariaDbResource.class,
        initArgs = @ResourceArg(name = "schema", value = "sagebench_monitor_test"))
@QuarkusTestResource(ElasticMqResource.class)
@QuarkusTestResource(JwtIssuerResource.class)
class MonitorPipelineIT {

    private static final String JOB_STATES = "bench.job-states";
    private static final String DLQ = "bench.dlq.monitor-service";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static SqsClient sqs;

    @BeforeAll
    static void client() {
        sqs = ElasticMqResource.client();
    }

    @AfterAll
    static void close() {
        sqs.close();
    }

    private static void send(String body) {
        sqs.sendMessage(b -> b.queueUrl(ElasticMqResource.queueUrl()).messageBody(body));
    }

    private static List<ConsumerRecord<String, String>> statesOf(String jobName, int n) {
        return TestTopics.consume(JOB_STATES, n, WAIT, r -> jobName.equals(r.key()));
    }

    /** Waits until every message sent so far was handled and deleted (none visible, none in flight). */
    private static void awaitQueueEmpty() {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(ElasticMqResource.queueUrl())
                    .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
            return "0".equals(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                    && "0".equals(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
        });
    }

    @Test
    void aStateChangeIsPublishedWithTheContractAndTheMessageDeleted() throws Exception {
        String job = EventBridgeEvents.newJobName();
        long t = System.currentTimeMillis();
        String eventId = UUID.randomUUID().toString();
        // times as strings (as in the AWS docs), tags as an object, unknown fields everywhere
        send(EventBridgeEvents.stateChange(eventId, job, "InProgress", "Starting", t, true,
                "{\"sagebench:run-id\":\"tagged-r042\",\"sagebench:design-id\":\"tagged\",\"sagebench:attempt\":\"1\"}"));

        List<ConsumerRecord<String, String>> records = statesOf(job, 1);
        assertEquals(1, records.size(), "one TrainingJobStateChanged for " + job);
        ConsumerRecord<String, String> record = records.get(0);
        EventContract.assertValid("TrainingJobStateChanged", record.value());
        assertEquals("TrainingJobStateChanged", TestTopics.header(record, "event-type"));
        assertEquals("1", TestTopics.header(record, "schema-version"));
        assertNotNull(UUID.fromString(TestTopics.header(record, "event-id")));

        JsonNode state = JSON.readTree(record.value());
        assertEquals(job, state.get("trainingJobName").asText());
        assertEquals("InProgress", state.get("status").asText());
        assertEquals("Starting", state.get("secondaryStatus").asText());
        assertEquals(java.time.Instant.ofEpochMilli(t).toString(), state.get("lastModifiedTime").asText());
        assertEquals("tagged-r042", state.get("runId").asText(), "tags win over the job name");
        assertEquals("tagged", state.get("designId").asText());
        assertEquals(1, state.get("attempt").asInt());
        assertEquals(false, state.get("terminal").asBoolean());
        assertEquals("event", state.get("source").asText());
        assertEquals(eventId, state.get("sourceEventId").asText());
        awaitQueueEmpty();

        given().auth().oauth2(TestTokens.viewer("vera")).get("/jobs/{name}", job).then().statusCode(200)
                .body("status", equalTo("InProgress"))
                .body("runId", equalTo("tagged-r042"))
                .body("transitions", hasSize(1));
    }

    @Test
    void duplicatesAndOutOfOrderEventsAddNothing() throws Exception {
        String job = EventBridgeEvents.newJobName();
        long t = System.currentTimeMillis();
        String startingId = UUID.randomUUID().toString();
        String starting = EventBridgeEvents.stateChange(startingId, job, "InProgress", "Starting", t, false, "[]");
        send(starting);
        send(EventBridgeEvents.stateChange(job, "InProgress", "Training", t + 3000));
        assertEquals(2, statesOf(job, 2).size());

        send(starting);                                                                   // same event id again
        send(EventBridgeEvents.stateChange(job, "InProgress", "Starting", t));            // same change, new id
        send(EventBridgeEvents.stateChange(job, "InProgress", "Downloading", t + 1000));  // older than Training
        send(EventBridgeEvents.stateChange(job, "Completed", "Completed", t + 9000));
        send(EventBridgeEvents.stateChange(job, "InProgress", "Uploading", t + 12000));   // after terminal
        awaitQueueEmpty();

        List<ConsumerRecord<String, String>> records = statesOf(job, 10);
        List<String> secondaries = records.stream()
                .map(r -> read(r).get("secondaryStatus").asText()).toList();
        assertEquals(List.of("Starting", "Training", "Completed"), secondaries);
        JsonNode last = read(records.get(2));
        assertTrue(last.get("terminal").asBoolean());
        // parsed from the name bench-<runId>-a<attempt> when no tags are given
        assertEquals(job.substring("bench-".length(), job.length() - "-a1".length()), last.get("runId").asText());
        records.forEach(r -> EventContract.assertValid("TrainingJobStateChanged", r.value()));

        given().auth().oauth2(TestTokens.viewer("vera")).get("/jobs/{name}", job).then().statusCode(200)
                .body("terminal", equalTo(true))
                .body("transitions", hasSize(3));
    }

    @Test
    void aRunningJobPastItsExpectedEndIsCheckedBeforeItFallsSilent() {
        // MaxRuntimeInSeconds 1 (as a string: lenient) and %test's grace 0 s: overdue a second after it was first seen,
        // so the reconciler asks SageMaker well before the 4 s silence would. (SageMaker does not know this hand-made
        // job, so the check only marks it checked.)
        String job = EventBridgeEvents.newJobName();
        send(EventBridgeEvents.stateChange(job, "InProgress", "Training", System.currentTimeMillis())
                .replace("\"detail\":{", "\"detail\":{\"StoppingCondition\":{\"MaxRuntimeInSeconds\":\"1\"},"));
        assertEquals(1, statesOf(job, 1).size());
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() ->
                given().auth().oauth2(TestTokens.viewer("vera")).get("/jobs/{name}", job).then().extract().path("lastCheckedAt") != null);
        var view = given().auth().oauth2(TestTokens.viewer("vera")).get("/jobs/{name}", job).then().statusCode(200).extract().jsonPath();
        java.time.Instant heard = java.time.Instant.parse(view.getString("lastHeardAt"));
        java.time.Instant expectedEnd = java.time.Instant.parse(view.getString("expectedEndAt"));
        java.time.Instant checked = java.time.Instant.parse(view.getString("lastCheckedAt"));
        assertEquals(1000, Duration.between(heard, expectedEnd).toMillis(), 100, "expected end = first seen + 1 s");
        assertTrue(checked.isBefore(heard.plusSeconds(4)), "checked at " + checked + ", before the silence ("
                + heard.plusSeconds(4) + ")");
    }

    @Test
    void anUnparseableMessageIsDeadLetteredAndTheNextOneStillFlows() {
        String poison = "{\"source\":\"aws.sagemaker\", this is not json " + UUID.randomUUID();
        String job = EventBridgeEvents.newJobName();
        send(poison);
        send(EventBridgeEvents.stateChange(job, "InProgress", "Starting", System.currentTimeMillis()));

        assertEquals(1, statesOf(job, 1).size());
        List<ConsumerRecord<String, String>> dead = TestTopics.consume(DLQ, 1, WAIT, r -> poison.equals(r.value()));
        assertEquals(1, dead.size(), "the poison message is on " + DLQ);
        String reason = TestTopics.header(dead.get(0), "dead-letter-reason");
        assertNotNull(reason);
        assertTrue(reason.startsWith("body is not JSON"), reason);
        awaitQueueEmpty();
    }

    @Test
    void eventsThatAreNotOursAreDropped() {
        String foreignSource = EventBridgeEvents.newJobName();
        String foreignPrefix = "other-" + UUID.randomUUID();
        send(EventBridgeEvents.stateChange(foreignSource, "InProgress", "Starting", System.currentTimeMillis())
                .replace("\"aws.sagemaker\"", "\"aws.ec2\""));
        send(EventBridgeEvents.stateChange(foreignPrefix, "InProgress", "Starting", System.currentTimeMillis()));
        String sentinel = EventBridgeEvents.newJobName();
        send(EventBridgeEvents.stateChange(sentinel, "InProgress", "Starting", System.currentTimeMillis()));

        assertEquals(1, statesOf(sentinel, 1).size());
        awaitQueueEmpty();
        assertEquals(0, TestTopics.consume(JOB_STATES, 1, Duration.ofSeconds(2),
                r -> foreignSource.equals(r.key()) || foreignPrefix.equals(r.key())).size());
        given().auth().oauth2(TestTokens.viewer("vera")).get("/jobs/{name}", foreignSource).then().statusCode(404);
    }

    @Test
    void launchesAreLearnedAndPoisonLaunchesDeadLettered() {
        String job = "bench-learned" + UUID.randomUUID().toString().substring(0, 8) + "-r003-a2";
        String runId = job.substring("bench-".length(), job.length() - "-a2".length());
        String launch = """
                {"runId":"%s","designId":"%s","attempt":2,"trainingJobName":"%s",
                 "trainingJobArn":"arn:aws:sagemaker:us-east-1:000000000000:training-job/%s",
                 "instanceType":"ml.p3.2xlarge","instanceCount":1,"launchedAt":"2026-01-01T00:00:00Z"}
                """.formatted(runId, runId.substring(0, runId.length() - "-r003".length()), job, job);
        EventContract.assertValid("RunLaunched", launch);
        TestTopics.produceEvent("bench.launches", runId, "RunLaunched", launch);
        String poison = "not a launch " + UUID.randomUUID();
        TestTopics.produceEvent("bench.launches", "x", "RunLaunched", poison);

        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(TestTokens.viewer("vera")).get("/jobs/{name}", job).then().statusCode(200)
                .body("runId", equalTo(runId))
                .body("attempt", equalTo(2))
                .body("launchedAt", equalTo("2026-01-01T00:00:00Z")));
        List<ConsumerRecord<String, String>> dead = TestTopics.consume(DLQ, 1, WAIT, r -> poison.equals(r.value()));
        assertEquals(1, dead.size());
        assertNotNull(TestTopics.header(dead.get(0), "dead-letter-reason"));
    }

    @Test
    void readinessReportsTheQueueTheBrokerAndTheDatabaseWithoutAToken() {
        await().atMost(WAIT).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'sqs-events-queue' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'Kafka connection health check' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'Database connections health check' }.status", equalTo("UP")));
    }

    private static JsonNode read(ConsumerRecord<String, String> r) {
        try {
            return JSON.readTree(r.value());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
