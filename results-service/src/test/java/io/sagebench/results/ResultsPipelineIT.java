package io.sagebench.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.sagebench.results.repository.OutboxEntity;
import io.sagebench.testkit.EventContract;
import io.sagebench.testkit.SageMakerEmulatorResource;
import io.sagebench.testkit.TestTopics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;




import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.MetricDefinition;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The run record end to end: real jobs in the SageMaker emulator (created through the SDK, as the launcher does),
 * events on the real broker, results in the real MariaDB, RunResult and DesignCompleted read back from Kafka.
 */
@QuarkusTest
class ResultsPipelineIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Double> PRICES = Map.of("ml.p3.2xlarge", 3.825, "ml.p3.8xlarge", 14.688,
            "ml.p3.16xlarge", 28.152);
    private static SageMakerClient sageMaker;

    @BeforeAll
    static void client() {
        sageMaker = SageMakerEmulatorResource.client();
    }

    @AfterAll
    static void close() {
        sageMaker.close();
    }

    /** A job as the launcher creates it: deterministic name, the F1 metric definition, the run's cluster. */
    private static void createJob(String runId, String instanceType, int count, int datasetSize) {
        createJob(runId, instanceType, count, datasetSize, 30);
    }

    private static void createJob(String runId, String instanceType, int count, int datasetSize, int volumeGb) {
        Map<String, String> hp = new HashMap<>(Map.of("model_name_or_path", "\"distilbert-base-uncased\"",
                "per_device_train_batch_size", "32", "max_steps", "20", "dataset_size", String.valueOf(datasetSize),
                "sagemaker_program", "\"train.py\""));
        if (count > 1) {
            hp.put("sagemaker_distributed_dataparallel_enabled", "true");
            hp.put("sagemaker_instance_type", "\"" + instanceType + "\"");
        }
        // CreateTrainingJob is rate-limited to 1 per real second, like SageMaker: wait out a throttle.
        for (int attempt = 1; ; attempt++) {
            try {
                createJobOnce(runId, instanceType, count, volumeGb, hp);
                return;
            } catch (SageMakerException e) {
                if (attempt >= 10 || !"ThrottlingException".equals(e.awsErrorDetails().errorCode())) {
                    throw e;
                }
                try {
                    Thread.sleep(1100);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static void createJobOnce(String runId, String instanceType, int count, int volumeGb, Map<String, String> hp) {
        sageMaker.createTrainingJob(b -> b.trainingJobName(TestEvents.jobName(runId))
                .roleArn("arn:aws:iam::000000000000:role/SageMakerExecutionRole")
                .algorithmSpecification(a -> a.trainingInputMode("File")
                        .trainingImage("763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-training:"
                                + "2.1.0-transformers4.36.0-gpu-py310-cu121-ubuntu20.04")
                        .metricDefinitions(MetricDefinition.builder().name("eval_f1_score")
                                .regex("'eval_f1_score': ([0-9]+(.|e\\-)[0-9]+),?").build()))
                .hyperParameters(hp)
                .resourceConfig(r -> r.instanceType(instanceType).instanceCount(count).volumeSizeInGB(volumeGb))
                .stoppingCondition(s -> s.maxRuntimeInSeconds(86400))
                .outputDataConfig(o -> o.s3OutputPath("s3://sagemaker-us-east-1-000000000000/")));
    }

    private static DescribeTrainingJobResponse awaitCompleted(String runId) {
        return awaitStatus(runId, TrainingJobStatus.COMPLETED);
    }

    private static DescribeTrainingJobResponse awaitStatus(String runId, TrainingJobStatus status) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> sageMaker.describeTrainingJob(b -> b.trainingJobName(TestEvents.jobName(runId))),
                        d -> d.trainingJobStatus() == status);
    }

    private static void planAndLaunch(String design, int sequence, String instanceType, int count, int gpus, int size) {
        String runId = TestEvents.runId(design, sequence);
        TestEvents.produce("bench.runs", runId, "RunPlanned",
                TestEvents.runPlanned(design, sequence, instanceType, count, gpus, size, cell(design, sequence)));
        TestEvents.produce("bench.launches", runId, "RunLaunched", TestEvents.runLaunched(design, runId, instanceType, count));
    }

    private static String cell(String design, int sequence) {
        return UUID.nameUUIDFromBytes((design + sequence).getBytes()).toString().replace("-", "").substring(0, 12);
    }

    private static void finish(String design, String runId) {
        TestEvents.produce("bench.job-states", TestEvents.jobName(runId), "TrainingJobStateChanged",
                TestEvents.jobState(design, runId, "Completed", "Completed"));
    }

    private static List<ConsumerRecord<String, String>> results(String runIdPrefix, int n, Duration timeout) {
        return TestTopics.consume("bench.results", n, timeout, r -> r.key() != null && r.key().startsWith(runIdPrefix));
    }

    private static List<ConsumerRecord<String, String>> designCompleted(String design, int n, Duration timeout) {
        return TestTopics.consume("bench.design-status", n, timeout,
                r -> design.equals(r.key()) && "DesignCompleted".equals(TestTopics.header(r, "event-type")));
    }

    /** cost = billable / 3600 × price × instance count, with the billable time DescribeTrainingJob reports. */
    private static void assertPriced(JsonNode result, DescribeTrainingJobResponse job, String instanceType, int count) {
        assertEquals(job.billableTimeInSeconds().longValue(), result.path("billableSeconds").asLong());
        assertEquals(job.trainingTimeInSeconds().longValue(), result.path("trainingSeconds").asLong());
        double expected = job.billableTimeInSeconds() / 3600.0 * PRICES.get(instanceType) * count;
        assertEquals(expected, result.path("costUsd").asDouble(), 1e-6, "cost of " + result);
        assertEquals(PRICES.get(instanceType), result.path("hourlyPriceUsd").asDouble(), 1e-12);
        assertEquals("2021-study", result.path("priceBookVersion").asText());
        double f1 = job.finalMetricDataList().stream().filter(m -> m.metricName().equals("eval_f1_score"))
                .findFirst().orElseThrow().value();
        assertEquals(f1, result.path("f1").asDouble(), 1e-6);
        assertTrue(result.path("startupSeconds").asDouble() > 0, "startup split from SecondaryStatusTransitions");
    }

    @Test
    void completedRunsArePricedStoredPublishedAndCompleteTheDesign() throws Exception {
        String design = "it-happy";
        String r1 = TestEvents.runId(design, 1);
        String r2 = TestEvents.runId(design, 2);
        createJob(r1, "ml.p3.16xlarge", 2, 1000);
        createJob(r2, "ml.p3.2xlarge", 1, 1000);
        TestEvents.produce("bench.design-status", design, "DesignAccepted", TestEvents.designAccepted(design, List.of(r1, r2)));
        planAndLaunch(design, 1, "ml.p3.16xlarge", 2, 8, 1000);
        planAndLaunch(design, 2, "ml.p3.2xlarge", 1, 1, 1000);
        DescribeTrainingJobResponse j1 = awaitCompleted(r1);
        DescribeTrainingJobResponse j2 = awaitCompleted(r2);
        finish(design, r1);
        finish(design, r2);

        List<ConsumerRecord<String, String>> published = results(design + "-r", 2, Duration.ofSeconds(60));
        assertEquals(2, published.size(), "RunResults on bench.results");
        for (ConsumerRecord<String, String> r : published) {
            EventContract.assertValid("RunResult", r.value());
            assertEquals("RunResult", TestTopics.header(r, "event-type"));
            assertEquals("1", TestTopics.header(r, "schema-version"));
            assertNotNull(TestTopics.header(r, "event-id"));
            JsonNode result = JSON.readTree(r.value());
            assertEquals(r.key(), result.path("runId").asText());
            assertEquals("Completed", result.path("status").asText());
            if (r.key().equals(r1)) {
                assertPriced(result, j1, "ml.p3.16xlarge", 2);
            } else {
                assertPriced(result, j2, "ml.p3.2xlarge", 1);
            }
        }

        JsonNode served = JSON.readTree(Api.asViewer().get("/designs/" + design + "/results").then().statusCode(200)
                .extract().asString());
        assertEquals(2, served.size());
        assertEquals(r1, served.get(0).path("runId").asText());
        assertEquals(1, served.get(0).path("sequence").asInt());
        assertEquals(16, served.get(0).path("cluster").path("totalGpus").asInt());
        assertEquals("smdistributed", served.get(0).path("cluster").path("distribution").asText());
        assertEquals(512, served.get(0).path("globalBatchSize").asInt());
        assertEquals(TestEvents.jobName(r1), served.get(0).path("trainingJobName").asText());
        assertPriced(served.get(0), j1, "ml.p3.16xlarge", 2);
        assertPriced(served.get(1), j2, "ml.p3.2xlarge", 1);

        List<ConsumerRecord<String, String>> completed = designCompleted(design, 1, Duration.ofSeconds(30));
        assertEquals(1, completed.size());
        EventContract.assertValid("DesignCompleted", completed.get(0).value());
        JsonNode summary = JSON.readTree(completed.get(0).value());
        assertEquals(2, summary.path("runCount").asInt());
        assertEquals(2, summary.path("succeeded").asInt());
        assertEquals(0, summary.path("failed").asInt());
        assertEquals(served.get(0).path("costUsd").asDouble() + served.get(1).path("costUsd").asDouble(),
                summary.path("totalCostUsd").asDouble(), 1e-9);

        Api.asViewer().get("/designs/" + design + "/progress").then().statusCode(200)
                .body("total", equalTo(2)).body("finished", equalTo(2)).body("launched", equalTo(2))
                .body("running", equalTo(0)).body("completed", equalTo(true));
        String csv = Api.asViewer().get("/designs/" + design + "/results.csv").then().statusCode(200).extract().asString();
        String[] lines = csv.split("\n");
        assertEquals(3, lines.length, csv);
        assertTrue(lines[1].startsWith("0,amazon_polarity,distilbert-base-uncased,66955010,32,5e-05,1.0,ml.p3.16xlarge,16,512,20.0,28.152,30,True,2,1000,"
                + j1.trainingTimeInSeconds() + ","), lines[1]);
        Api.asViewer().get("/designs/" + design + "/analysis").then().statusCode(200)
                .body("cells.size()", equalTo(2)).body("bySize[0].datasetSize", equalTo(1000));
        JsonNode cheaper = served.get(0).path("costUsd").asDouble() < served.get(1).path("costUsd").asDouble()
                ? served.get(0) : served.get(1);
        JsonNode faster = served.get(0).path("trainingSeconds").asLong() < served.get(1).path("trainingSeconds").asLong()
                ? served.get(0) : served.get(1);
        Api.asViewer().get("/designs/" + design + "/recommendations/cheapest").then().statusCode(200)
                .body("recommendation.cellId", equalTo(cheaper.path("cellId").asText()));
        Api.asViewer().get("/designs/" + design + "/recommendations/fastest?maxUsd=1000").then().statusCode(200)
                .body("recommendation.cellId", equalTo(faster.path("cellId").asText()));
        Api.asViewer().get("/designs/" + design + "/recommendations/fastest?maxUsd=0.000001").then().statusCode(200)
                .body("reason", containsString("no completed cell"));
        Api.asOperator().post("/designs/" + design + "/reprice?book=2021-study").then().statusCode(200)
                .body("size()", equalTo(2)).body("[0].priceBookVersion", equalTo("2021-study"));
        Api.asOperator().post("/designs/" + design + "/reprice?book=nope").then().statusCode(400)
                .body("error", containsString("price-book version"));
    }

    @Test
    void aTerminalStateDeliveredTwiceMakesOneResult() throws Exception {
        String design = "it-redeliver";
        String run = TestEvents.runId(design, 1);
        createJob(run, "ml.p3.8xlarge", 1, 1000);
        TestEvents.produce("bench.design-status", design, "DesignAccepted", TestEvents.designAccepted(design, List.of(run)));
        planAndLaunch(design, 1, "ml.p3.8xlarge", 1, 4, 1000);
        DescribeTrainingJobResponse job = awaitCompleted(run);
        String state = TestEvents.jobState(design, run, "Completed", "Completed");
        String eventId = UUID.randomUUID().toString();
        Map<String, String> headers = Map.of("event-id", eventId, "event-type", "TrainingJobStateChanged", "schema-version", "1");
        TestTopics.produce("bench.job-states", TestEvents.jobName(run), state, headers);
        TestTopics.produce("bench.job-states", TestEvents.jobName(run), state, headers);       // the same record again
        finish(design, run);                                                                  // a duplicate with its own id

        assertEquals(1, results(run, 1, Duration.ofSeconds(60)).size());
        // Give a second result every chance to appear.
        Thread.sleep(3000);
        List<ConsumerRecord<String, String>> published = results(run, 2, Duration.ofSeconds(5));
        assertEquals(1, published.size(), "exactly one RunResult for " + run);
        assertPriced(JSON.readTree(published.get(0).value()), job, "ml.p3.8xlarge", 1);
        Api.asViewer().get("/designs/" + design + "/results").then().statusCode(200).body("size()", equalTo(1));
        assertEquals(1, designCompleted(design, 2, Duration.ofSeconds(5)).size(), "exactly one DesignCompleted");
    }

    @Test
    void aTerminalStateBeforeItsRunPlannedStillMakesTheResult() throws Exception {
        String design = "it-early";
        String run = TestEvents.runId(design, 1);
        createJob(run, "ml.p3.2xlarge", 1, 2000);
        DescribeTrainingJobResponse job = awaitCompleted(run);
        finish(design, run);                              // bench.job-states is ahead of bench.runs
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                Api.asViewer().get("/designs/" + design + "/progress").then().statusCode(200)
                        .body("launched", equalTo(1)).body("finished", equalTo(0)));
        Thread.sleep(1500);                               // a finisher sweep passes: nothing to finish without the plan
        assertEquals(0, results(run, 1, Duration.ofSeconds(2)).size());

        TestEvents.produce("bench.runs", run, "RunPlanned",
                TestEvents.runPlanned(design, 1, "ml.p3.2xlarge", 1, 1, 2000, cell(design, 1)));
        List<ConsumerRecord<String, String>> published = results(run, 1, Duration.ofSeconds(60));
        assertEquals(1, published.size());
        EventContract.assertValid("RunResult", published.get(0).value());
        JsonNode result = JSON.readTree(published.get(0).value());
        assertPriced(result, job, "ml.p3.2xlarge", 1);
        assertEquals(2000, result.path("datasetSize").asInt());

        // The design's acceptance arrives last of all and completes it.
        TestEvents.produce("bench.design-status", design, "DesignAccepted", TestEvents.designAccepted(design, List.of(run)));
        assertEquals(1, designCompleted(design, 1, Duration.ofSeconds(30)).size());
        Api.asViewer().get("/designs/" + design + "/results.csv").then().statusCode(200).body(containsString(run));
    }

    @Test
    void aFailedJobIsChargedForItsBillableTimeAndKeepsItsReason() throws Exception {
        String design = "it-failed";
        String run = TestEvents.runId(design, 1);
        createJob(run, "ml.p3.2xlarge", 1, 1_000_000, 1);   // the study's bug: 1M samples do not fit on 1 GB
        TestEvents.produce("bench.design-status", design, "DesignAccepted", TestEvents.designAccepted(design, List.of(run)));
        planAndLaunch(design, 1, "ml.p3.2xlarge", 1, 1, 1_000_000);
        DescribeTrainingJobResponse job = awaitStatus(run, TrainingJobStatus.FAILED);
        TestEvents.produce("bench.job-states", TestEvents.jobName(run), "TrainingJobStateChanged",
                TestEvents.jobState(design, run, "Failed", "Failed"));
        // A Failed job ends its run only when the launcher says it will not relaunch it (RunAttemptEnded).
        String verdict = """
                {"runId":"%s","designId":"%s","attempt":1,"trainingJobName":"%s","status":"Failed","relaunch":false}"""
                .formatted(run, design, TestEvents.jobName(run));
        EventContract.assertValid("RunAttemptEnded", verdict);
        TestEvents.produce("bench.launches", run, "RunAttemptEnded", verdict);

        List<ConsumerRecord<String, String>> published = results(run, 1, Duration.ofSeconds(60));
        assertEquals(1, published.size());
        EventContract.assertValid("RunResult", published.get(0).value());
        JsonNode result = JSON.readTree(published.get(0).value());
        assertEquals("Failed", result.path("status").asText());
        assertEquals(job.failureReason(), result.path("failureReason").asText());
        long billable = job.billableTimeInSeconds() == null ? 0 : job.billableTimeInSeconds();
        assertEquals(billable, result.path("billableSeconds").asLong());
        assertEquals(billable / 3600.0 * 3.825, result.path("costUsd").asDouble(), 1e-6);
        assertTrue(result.path("f1").isNull());
        Api.asViewer().get("/designs/" + design + "/progress").then().statusCode(200)
                .body("failed", equalTo(1)).body("finished", equalTo(1)).body("completed", equalTo(true));
    }

    @Test
    void anOutboxRowCommittedButNeverSentIsSentByTheRelay() {
        // A crash between the commit and the send leaves exactly this: a committed, unsent row.
        String key = "it-outbox-r001";
        QuarkusTransaction.requiringNew().run(() -> OutboxEntity.enqueue("bench.results", key, "RunResult", "{\"probe\":true}"));
        List<ConsumerRecord<String, String>> sent = results(key, 1, Duration.ofSeconds(30));
        assertEquals(1, sent.size());
        assertEquals("RunResult", TestTopics.header(sent.get(0), "event-type"));
        await().atMost(Duration.ofSeconds(10)).until(() -> QuarkusTransaction.requiringNew().call(() ->
                OutboxEntity.<OutboxEntity>find("messageKey", key).firstResult().sentAt != null));
    }
}
