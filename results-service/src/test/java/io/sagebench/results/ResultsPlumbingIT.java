package io.sagebench.results;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebench.testkit.EventContract;
import io.sagebench.testkit.TestTopics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Consumers, read model, dead letters and REST against the real broker and MariaDB (no terminal jobs here). */
@QuarkusTest
class ResultsPlumbingIT {

    @TestHTTPResource("/")
    URL baseUrl;

    @Test
    void unknownDesignIs404WithAClearMessage() {
        Api.asViewer().get("/designs/no-such-design/results").then().statusCode(404)
                .body("error", containsString("unknown design no-such-design"));
        Api.asViewer().get("/designs/no-such-design/progress").then().statusCode(404);
        Api.asViewer().get("/designs/no-such-design/results.csv").then().statusCode(404);
    }

    @Test
    void progressFollowsPlannedDeferredLaunchedAndRunning() throws Exception {
        String design = "it-progress";
        List<String> runs = List.of(TestEvents.runId(design, 1), TestEvents.runId(design, 2), TestEvents.runId(design, 3));
        TestEvents.produce("bench.design-status", design, "DesignAccepted", TestEvents.designAccepted(design, runs));
        for (int i = 1; i <= 3; i++) {
            TestEvents.produce("bench.runs", runs.get(i - 1), "RunPlanned",
                    TestEvents.runPlanned(design, i, "ml.p3.2xlarge", 1, 1, 1000, "0123456789ab"));
        }
        TestEvents.produce("bench.launches", runs.get(0), "RunLaunched",
                TestEvents.runLaunched(design, runs.get(0), "ml.p3.2xlarge", 1));
        TestEvents.produce("bench.launches", runs.get(1), "RunLaunched",
                TestEvents.runLaunched(design, runs.get(1), "ml.p3.2xlarge", 1));
        TestEvents.produce("bench.launches", runs.get(2), "RunDeferred", """
                {"runId":"%s","designId":"%s","reason":"quota","retryAfterSeconds":5}""".formatted(runs.get(2), design));
        TestEvents.produce("bench.job-states", TestEvents.jobName(runs.get(0)), "TrainingJobStateChanged",
                TestEvents.jobState(design, runs.get(0), "InProgress", "Training"));
        TestEvents.produce("bench.job-states", TestEvents.jobName(runs.get(1)), "TrainingJobStateChanged",
                TestEvents.jobState(design, runs.get(1), "InProgress", "Downloading"));

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                Api.asViewer().get("/designs/" + design + "/progress").then().statusCode(200)
                        .body("designId", equalTo(design)).body("total", equalTo(3)).body("planned", equalTo(3))
                        .body("deferred", equalTo(1)).body("launched", equalTo(2)).body("running", equalTo(1))
                        .body("finished", equalTo(0)).body("failed", equalTo(0)).body("completed", equalTo(false)));
        Api.asViewer().get("/designs/" + design + "/results").then().statusCode(200).body("size()", equalTo(0));
        // The live view: the first server-sent event is the current progress.
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<java.util.stream.Stream<String>> stream = http.send(HttpRequest.newBuilder(
                URI.create(baseUrl + "designs/" + design + "/progress/stream")).header("Authorization", Api.viewerBearer())
                .timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, stream.statusCode());
        String first;
        try (java.util.stream.Stream<String> lines = stream.body()) {
            first = lines.filter(l -> l.startsWith("data:")).findFirst().orElseThrow();
        }
        JsonNode pushed = new ObjectMapper().readTree(first.substring(5));
        assertEquals(3, pushed.path("planned").asInt());
        assertEquals(1, pushed.path("running").asInt());
        Api.asViewer().get("/designs").then().statusCode(200).body("designId", org.hamcrest.Matchers.hasItem(design));
        given().get("/").then().statusCode(200).body(containsString("sagebench · results"))
                .body(containsString("/designs/\" + id + \"/analysis"));
        Api.asViewer().get("/designs/" + design + "/results.csv").then().statusCode(200)
                .body(containsString("run_id,dataset_name,automodel_name"))
                .body(containsString("2,amazon_polarity,distilbert-base-uncased,66955010,32,5e-05,1.0,ml.p3.2xlarge,1,32,20.0,3.825,30,False,1,1000,,,,,"));
    }

    @Test
    void aDesignWhoseRunsWereCancelledOrFailedToLaunchCompletes() throws Exception {
        String design = "it-cancel";
        String cancelled = TestEvents.runId(design, 1);
        String failed = TestEvents.runId(design, 2);
        TestEvents.produce("bench.design-status", design, "DesignAccepted",
                TestEvents.designAccepted(design, List.of(cancelled, failed)));
        TestEvents.produce("bench.runs", cancelled, "RunPlanned",
                TestEvents.runPlanned(design, 1, "ml.p3.2xlarge", 1, 1, 1000, "0123456789ab"));
        String cancel = "{\"runId\":\"%s\",\"designId\":\"%s\",\"reason\":\"user\"}".formatted(cancelled, design);
        EventContract.assertValid("RunCancelRequested", cancel);
        TestEvents.produce("bench.runs", cancelled, "RunCancelRequested", cancel);
        String launchFailed = """
                {"runId":"%s","designId":"%s","attempt":1,"trainingJobName":"%s","failureClass":"validation",
                 "errorCode":"ValidationException","message":"bad request","retryable":false}""".formatted(
                failed, design, TestEvents.jobName(failed));
        EventContract.assertValid("RunLaunchFailed", launchFailed);
        TestEvents.produce("bench.launches", failed, "RunLaunchFailed", launchFailed);

        List<ConsumerRecord<String, String>> completed = TestTopics.consume("bench.design-status", 1, Duration.ofSeconds(30),
                r -> design.equals(r.key()) && "DesignCompleted".equals(TestTopics.header(r, "event-type")));
        assertEquals(1, completed.size());
        EventContract.assertValid("DesignCompleted", completed.get(0).value());
        JsonNode summary = new ObjectMapper().readTree(completed.get(0).value());
        assertEquals(2, summary.path("runCount").asInt());
        assertEquals(0, summary.path("succeeded").asInt());
        assertEquals(1, summary.path("failed").asInt());
        assertEquals(1, summary.path("cancelled").asInt());
        assertEquals(0.0, summary.path("totalCostUsd").asDouble());
        Api.asViewer().get("/designs/" + design + "/progress").then().statusCode(200)
                .body("finished", equalTo(2)).body("failed", equalTo(1)).body("cancelled", equalTo(1))
                .body("completed", equalTo(true));
    }

    @Test
    void poisonGoesToTheDeadLetterTopicAndTheNextRecordIsProcessed() {
        String design = "it-poison";
        String good = TestEvents.runId(design, 1);
        TestTopics.produce("bench.runs", "garbage", "this is not json", Map.of("event-type", "RunPlanned"));
        TestTopics.produce("bench.runs", "half", "{\"runId\":\"it-poison-r009\",\"designId\":\"it-poison\"}",
                Map.of("event-type", "RunPlanned", "event-id", "half-1"));
        TestTopics.produce("bench.job-states", "x", "{\"trainingJobName\":\"not-ours\",\"status\":\"Completed\"}", null);
        TestEvents.produce("bench.runs", good, "RunPlanned",
                TestEvents.runPlanned(design, 1, "ml.p3.2xlarge", 1, 1, 1000, "0123456789ab"));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                Api.asViewer().get("/designs/" + design + "/progress").then().statusCode(200).body("planned", equalTo(1)));
        // This test's three (the topic is shared with other tests' poison).
        List<ConsumerRecord<String, String>> dead = TestTopics.consume("bench.dlq.results-service", 3, Duration.ofSeconds(30),
                r -> List.of("garbage", "half", "x").contains(r.key()));
        assertEquals(3, dead.size(), "dead letters: " + dead);
        for (ConsumerRecord<String, String> r : dead) {
            assertNotNull(TestTopics.header(r, "dead-letter-reason"), "reason header on " + r);
        }
        ConsumerRecord<String, String> half = dead.stream().filter(r -> "half".equals(r.key())).findFirst().orElseThrow();
        String reason = TestTopics.header(half, "dead-letter-reason");
        assertTrue(reason.contains("$.cellId") && reason.contains("$.cluster.instanceType"), reason);
        assertEquals("bench.runs", TestTopics.header(half, "dead-letter-topic"));
    }
}
