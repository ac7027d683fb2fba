package io.sagebench.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.sagebench.results.repository.RunAttemptEntity;
import io.sagebench.testkit.EventContract;
import io.sagebench.testkit.SageMakerEmulatorResource;
import io.sagebench.testkit.TestTopics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;




import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.CreateTrainingJobRequest;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.MetricDefinition;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs that take more than one attempt, and the pricing cases of issue 7 (on demand, spot, multi-instance, failed
 * attempts), with real jobs in the SageMaker emulator, the real broker and MariaDB. The launcher's verdicts
 * (RunAttemptEnded) are published here as the launcher publishes them, in both orders against the job states.
 */
@QuarkusTest
class RunAttemptsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double P3_2XL = 3.825;
    private static final double P3_16XL = 28.152;
    private static SageMakerClient sageMaker;

    @BeforeAll
    static void client() {
        sageMaker = SageMakerEmulatorResource.client();
    }

    @AfterAll
    static void close() {
        sageMaker.close();
    }

    @Test
    void aRelaunchedRunIsFinishedByItsLastAttemptAndChargedForTheFailedOne() throws Exception {
        String design = "it-attempts-relaunch";
        String run = TestEvents.runId(design, 1);
        String second = job(run, 2);
        DescribeTrainingJobResponse failed = firstAttemptRanOutOfMemory(design, run);
        assertTrue(failed.billableTimeInSeconds() != null && failed.billableTimeInSeconds() > 0,
                "the failed attempt was billed: " + failed);

        // The launcher's verdict overtakes the job state of the attempt it is about.
        attemptEnded(design, run, 1, "Failed", true);
        jobState(design, run, 1, "Failed", failed.failureReason());
        await().atMost(Duration.ofSeconds(30)).until(() -> attemptsStored(run) == 1);
        assertEquals(0, results(run, 1, Duration.ofSeconds(2)).size(), "attempt 1 is not the run's end");
        Api.asViewer().get("/designs/" + design + "/progress").then().statusCode(200)
                .body("failed", equalTo(0)).body("finished", equalTo(0)).body("completed", equalTo(false));

        createJob(second, "ml.p3.2xlarge", 1, 32, false);
        launched(design, run, 2, "ml.p3.2xlarge", 1);
        DescribeTrainingJobResponse completed = awaitStatus(second, TrainingJobStatus.COMPLETED);
        jobState(design, run, 2, "Completed", null);           // Completed is final without waiting for a verdict

        List<ConsumerRecord<String, String>> published = results(run, 1, Duration.ofSeconds(60));
        assertEquals(1, published.size());
        EventContract.assertValid("RunResult", published.get(0).value());
        JsonNode result = JSON.readTree(published.get(0).value());
        assertEquals("Completed", result.path("status").asText());
        assertEquals(2, result.path("attempt").asInt());
        assertEquals(2, result.path("attempts").asInt());
        assertEquals(second, result.path("trainingJobName").asText());
        long failedBillable = failed.billableTimeInSeconds();
        long finalBillable = completed.billableTimeInSeconds();
        assertEquals(finalBillable, result.path("billableSeconds").asLong(), "billableSeconds is the final attempt's");
        assertEquals(failedBillable, result.path("failedAttemptsBillableSeconds").asLong());
        assertEquals(failedBillable / 3600.0 * P3_2XL, result.path("failedAttemptsCostUsd").asDouble(), 1e-6);
        assertEquals((failedBillable + finalBillable) / 3600.0 * P3_2XL, result.path("costUsd").asDouble(), 1e-6);

        // The launcher's final verdict, arriving after the result, changes nothing.
        attemptEnded(design, run, 2, "Completed", false);
        assertEquals(1, designCompleted(design, 1, Duration.ofSeconds(30)).size());
        JsonNode summary = JSON.readTree(designCompleted(design, 1, Duration.ofSeconds(5)).get(0).value());
        assertEquals(result.path("costUsd").asDouble(), summary.path("totalCostUsd").asDouble(), 1e-9);
        assertEquals(failedBillable + finalBillable, summary.path("totalBillableSeconds").asLong());
        assertEquals(1, summary.path("succeeded").asInt());
        assertEquals(0, summary.path("failed").asInt());

        JsonNode served = JSON.readTree(Api.asViewer().get("/designs/" + design + "/results").then().statusCode(200)
                .extract().asString());
        assertEquals(1, served.size());
        assertEquals(2, served.get(0).path("attempts").asInt());
        assertEquals(result.path("costUsd").asDouble(), served.get(0).path("costUsd").asDouble(), 1e-9);
        assertEquals(result.path("failedAttemptsCostUsd").asDouble(),
                served.get(0).path("failedAttemptsCostUsd").asDouble(), 1e-9);
        Api.asViewer().get("/designs/" + design + "/progress").then().statusCode(200)
                .body("succeeded", equalTo(1)).body("failed", equalTo(0)).body("finished", equalTo(1));
        JsonNode repriced = JSON.readTree(Api.asOperator().post("/designs/" + design + "/reprice?book=2021-study").then()
                .statusCode(200).extract().asString());
        assertEquals(failedBillable, repriced.path(0).path("failedAttemptsBillableSeconds").asLong(), repriced.toString());
        assertEquals(result.path("costUsd").asDouble(), repriced.path(0).path("costUsd").asDouble(), 1e-6);
        assertEquals(2, attemptsStored(run));
        assertStillOneResultAfterASweep(run);
    }

    @Test
    void aFailedAttemptWaitsForTheLaunchersVerdictAndEndsTheRunWhenItIsFinal() throws Exception {
        String design = "it-attempts-final";
        String run = TestEvents.runId(design, 1);
        DescribeTrainingJobResponse failed = firstAttemptRanOutOfMemory(design, run);

        // The job state first: without the launcher's word the run may still be relaunched.
        jobState(design, run, 1, "Failed", failed.failureReason());
        await().atMost(Duration.ofSeconds(30)).until(() -> attemptsStored(run) == 1);
        Thread.sleep(2500);                                    // a finisher sweep passes
        assertEquals(0, results(run, 1, Duration.ofSeconds(2)).size());
        Api.asViewer().get("/designs/" + design + "/progress").then().statusCode(200)
                .body("failed", equalTo(0)).body("finished", equalTo(0));

        attemptEnded(design, run, 1, "Failed", false);
        List<ConsumerRecord<String, String>> published = results(run, 1, Duration.ofSeconds(60));
        assertEquals(1, published.size());
        EventContract.assertValid("RunResult", published.get(0).value());
        JsonNode result = JSON.readTree(published.get(0).value());
        assertEquals("Failed", result.path("status").asText());
        assertEquals(failed.failureReason(), result.path("failureReason").asText());
        assertEquals(1, result.path("attempts").asInt());
        assertEquals(0, result.path("failedAttemptsCostUsd").asDouble(), 0);
        assertEquals(failed.billableTimeInSeconds() / 3600.0 * P3_2XL, result.path("costUsd").asDouble(), 1e-6);
        Api.asViewer().get("/designs/" + design + "/progress").then().statusCode(200)
                .body("failed", equalTo(1)).body("finished", equalTo(1)).body("completed", equalTo(true));
    }

    /**
     * The chaos run's race: the launcher announced a relaunch, then the run was cancelled before attempt 2 got a job.
     * The launcher calls the relaunch off with a second verdict on attempt 1, which ends the run with that attempt.
     */
    @Test
    void aRelaunchCalledOffByACancelEndsTheRunWithItsFailedAttempt() throws Exception {
        String design = "it-attempts-cancelled";
        String run = TestEvents.runId(design, 1);
        String first = job(run, 1);
        DescribeTrainingJobResponse failed = firstAttemptRanOutOfMemory(design, run);
        attemptEnded(design, run, 1, "Failed", true);
        jobState(design, run, 1, "Failed", failed.failureReason());
        await().atMost(Duration.ofSeconds(30)).until(() -> attemptsStored(run) == 1);
        TestEvents.produce("bench.runs", run, "RunCancelRequested",
                "{\"runId\":\"%s\",\"designId\":\"%s\",\"reason\":\"test\"}".formatted(run, design));
        Thread.sleep(2500);                                    // a finisher sweep passes: still waiting for attempt 2
        assertEquals(0, results(run, 1, Duration.ofSeconds(1)).size());
        Api.asViewer().get("/designs/" + design + "/progress").then().statusCode(200)
                .body("finished", equalTo(0)).body("completed", equalTo(false));

        relaunchCalledOff(design, run, 1, "cancelled");
        List<ConsumerRecord<String, String>> published = results(run, 1, Duration.ofSeconds(60));
        assertEquals(1, published.size());
        EventContract.assertValid("RunResult", published.get(0).value());
        JsonNode result = JSON.readTree(published.get(0).value());
        assertEquals("Failed", result.path("status").asText());
        assertEquals(1, result.path("attempt").asInt());
        assertEquals(1, result.path("attempts").asInt());
        assertEquals(first, result.path("trainingJobName").asText());
        assertEquals(failed.billableTimeInSeconds() / 3600.0 * P3_2XL, result.path("costUsd").asDouble(), 1e-6);
        assertEquals(1, designCompleted(design, 1, Duration.ofSeconds(30)).size());
        Api.asViewer().get("/designs/" + design + "/progress").then().statusCode(200)
                .body("failed", equalTo(1)).body("finished", equalTo(1)).body("completed", equalTo(true));
        assertStillOneResultAfterASweep(run);
    }

    /**
     * Attempt 2 could not be launched: the launcher calls the relaunch off, then publishes attempt 2's final
     * RunLaunchFailed. The run is not counted as ended by that failure (its result is coming), and "not relaunched"
     * wins over "relaunched" whichever arrives first.
     */
    @Test
    void aRelaunchThatCouldNotBeLaunchedEndsTheRunWithItsFailedAttempt() throws Exception {
        String design = "it-attempts-launch-failed";
        String run = TestEvents.runId(design, 1);
        DescribeTrainingJobResponse failed = firstAttemptRanOutOfMemory(design, run);
        relaunchCalledOff(design, run, 1, "launch-failed");    // overtakes the relaunch it withdraws
        String launchFailed = """
                {"runId":"%s","designId":"%s","attempt":2,"trainingJobName":"%s","failureClass":"internal",
                 "errorCode":"InternalFailure","message":"We encountered an internal error.","retryable":false,
                 "failedAt":"%s"}""".formatted(run, design, job(run, 2), Instant.now());
        EventContract.assertValid("RunLaunchFailed", launchFailed);
        TestEvents.produce("bench.launches", run, "RunLaunchFailed", launchFailed);
        attemptEnded(design, run, 1, "Failed", true);
        Thread.sleep(2500);
        Api.asViewer().get("/designs/" + design + "/progress").then().statusCode(200)
                .body("finished", equalTo(0)).body("completed", equalTo(false));

        jobState(design, run, 1, "Failed", failed.failureReason());
        List<ConsumerRecord<String, String>> published = results(run, 1, Duration.ofSeconds(60));
        assertEquals(1, published.size());
        JsonNode result = JSON.readTree(published.get(0).value());
        assertEquals("Failed", result.path("status").asText());
        assertEquals(failed.failureReason(), result.path("failureReason").asText());
        assertEquals(1, result.path("attempts").asInt());
        assertEquals(1, designCompleted(design, 1, Duration.ofSeconds(30)).size());
        Api.asViewer().get("/designs/" + design + "/progress").then().statusCode(200)
                .body("failed", equalTo(1)).body("finished", equalTo(1)).body("completed", equalTo(true));
    }

    @Test
    void anEarlierAttemptWhoseJobStateNeverCameIsDescribedAndCharged() throws Exception {
        String design = "it-attempts-lost";
        String run = TestEvents.runId(design, 1);
        createJob(job(run, 1), "ml.p3.2xlarge", 1, 512, false);
        plan(design, 1, "ml.p3.2xlarge", 1, 1, false);
        DescribeTrainingJobResponse failed = awaitStatus(job(run, 1), TrainingJobStatus.FAILED);
        attemptEnded(design, run, 1, "Failed", true);          // its job state was lost on the way
        createJob(job(run, 2), "ml.p3.2xlarge", 1, 32, false);
        DescribeTrainingJobResponse completed = awaitStatus(job(run, 2), TrainingJobStatus.COMPLETED);
        jobState(design, run, 2, "Completed", null);

        List<ConsumerRecord<String, String>> published = results(run, 1, Duration.ofSeconds(60));
        assertEquals(1, published.size());
        JsonNode result = JSON.readTree(published.get(0).value());
        assertEquals(2, result.path("attempts").asInt());
        assertEquals((failed.billableTimeInSeconds() + completed.billableTimeInSeconds()) / 3600.0 * P3_2XL,
                result.path("costUsd").asDouble(), 1e-6);
    }

    @Test
    void spotOnMultipleInstancesIsPricedFromItsBillableTimeAtTheOnDemandPrice() throws Exception {
        String design = "it-attempts-spot";
        String run = TestEvents.runId(design, 1);
        String jobName = job(run, 1);
        createJob(jobName, "ml.p3.16xlarge", 2, 32, true);
        plan(design, 1, "ml.p3.16xlarge", 2, 8, true);
        launched(design, run, 1, "ml.p3.16xlarge", 2);
        DescribeTrainingJobResponse job = awaitStatus(jobName, TrainingJobStatus.COMPLETED);
        jobState(design, run, 1, "Completed", null);

        List<ConsumerRecord<String, String>> published = results(run, 1, Duration.ofSeconds(60));
        assertEquals(1, published.size());
        EventContract.assertValid("RunResult", published.get(0).value());
        JsonNode result = JSON.readTree(published.get(0).value());
        long billable = job.billableTimeInSeconds();
        long training = job.trainingTimeInSeconds();
        assertTrue(billable < training, "managed spot bills less than the training time: " + billable + " vs " + training);
        assertEquals(billable, result.path("billableSeconds").asLong());
        assertEquals(billable / 3600.0 * P3_16XL * 2, result.path("costUsd").asDouble(), 1e-6);
        assertEquals(P3_16XL, result.path("hourlyPriceUsd").asDouble(), 1e-12);
        assertEquals((1.0 - (double) billable / training) * 100.0, result.path("spotSavingsPercent").asDouble(), 1e-9);
        assertEquals(1, result.path("attempts").asInt());
        assertEquals(2, result.path("cluster").path("instanceCount").asInt());
    }

    // ---------------------------------------------------------------- helpers

    private static String job(String runId, int attempt) {
        return "bench-" + runId + "-a" + attempt;
    }

    private static long attemptsStored(String runId) {
        return QuarkusTransaction.requiringNew().call(() -> RunAttemptEntity.count("runId", runId));
    }

    /** A real job as the launcher creates it; a per-device batch of 512 does not fit a V100 (out of memory). */
    private static void createJob(String jobName, String instanceType, int count, int perDeviceBatch, boolean spot)
            throws InterruptedException {
        Map<String, String> hp = new HashMap<>(Map.of("model_name_or_path", "\"distilbert-base-uncased\"",
                "per_device_train_batch_size", String.valueOf(perDeviceBatch), "max_steps", "20",
                "dataset_size", "1000", "sagemaker_program", "\"train.py\""));
        if (count > 1) {
            hp.put("sagemaker_distributed_dataparallel_enabled", "true");
            hp.put("sagemaker_instance_type", "\"" + instanceType + "\"");
        }
        CreateTrainingJobRequest.Builder b = CreateTrainingJobRequest.builder().trainingJobName(jobName)
                .roleArn("arn:aws:iam::000000000000:role/SageMakerExecutionRole")
                .algorithmSpecification(a -> a.trainingInputMode("File")
                        .trainingImage("763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-training:"
                                + "2.1.0-transformers4.36.0-gpu-py310-cu121-ubuntu20.04")
                        .metricDefinitions(MetricDefinition.builder().name("eval_f1_score")
                                .regex("'eval_f1_score': ([0-9]+(.|e\\-)[0-9]+),?").build()))
                .hyperParameters(hp)
                .resourceConfig(r -> r.instanceType(instanceType).instanceCount(count).volumeSizeInGB(30))
                .outputDataConfig(o -> o.s3OutputPath("s3://sagemaker-us-east-1-000000000000/"));
        if (spot) {
            b.enableManagedSpotTraining(true).stoppingCondition(s -> s.maxRuntimeInSeconds(86400).maxWaitTimeInSeconds(172800))
                    .checkpointConfig(c -> c.s3Uri("s3://sagemaker-us-east-1-000000000000/checkpoints/" + jobName));
        } else {
            b.stoppingCondition(s -> s.maxRuntimeInSeconds(86400));
        }
        CreateTrainingJobRequest request = b.build();
        // CreateTrainingJob is rate-limited to 1 per real second, like SageMaker: wait out a throttle.
        for (int attempt = 1; ; attempt++) {
            try {
                sageMaker.createTrainingJob(request);
                return;
            } catch (SageMakerException e) {
                if (attempt >= 10 || !"ThrottlingException".equals(e.awsErrorDetails().errorCode())) {
                    throw e;
                }
                Thread.sleep(1100);
            }
        }
    }

    private static DescribeTrainingJobResponse awaitStatus(String jobName, TrainingJobStatus status) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> sageMaker.describeTrainingJob(b -> b.trainingJobName(jobName)),
                        d -> d.trainingJobStatus() == status);
    }

    private static String cell(String design, int sequence) {
        return UUID.nameUUIDFromBytes((design + sequence).getBytes()).toString().replace("-", "").substring(0, 12);
    }

    private static void plan(String design, int sequence, String instanceType, int count, int gpus, boolean spot)
            throws Exception {
        String json = TestEvents.runPlanned(design, sequence, instanceType, count, gpus, 1000, cell(design, sequence));
        if (spot) {
            com.fasterxml.jackson.databind.node.ObjectNode n = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(json);
            n.put("spot", true);
            n.put("maxWaitSeconds", 172800);
            json = JSON.writeValueAsString(n);
            EventContract.assertValid("RunPlanned", json);
        }
        TestEvents.produce("bench.runs", TestEvents.runId(design, sequence), "RunPlanned", json);
    }

    private static void launched(String design, String runId, int attempt, String instanceType, int count) {
        String name = job(runId, attempt);
        String json = """
                {"runId":"%s","designId":"%s","attempt":%d,"trainingJobName":"%s",
                 "trainingJobArn":"arn:aws:sagemaker:us-east-1:000000000000:training-job/%s","instanceType":"%s",
                 "instanceCount":%d,"launchedAt":"%s"}"""
                .formatted(runId, design, attempt, name, name, instanceType, count, Instant.now());
        EventContract.assertValid("RunLaunched", json);
        TestEvents.produce("bench.launches", runId, "RunLaunched", json);
    }

    /** What the monitor publishes for a job's terminal state. */
    private static void jobState(String design, String runId, int attempt, String status, String failureReason)
            throws Exception {
        Map<String, Object> state = new HashMap<>();
        state.put("trainingJobName", job(runId, attempt));
        state.put("runId", runId);
        state.put("designId", design);
        state.put("attempt", attempt);
        state.put("status", status);
        state.put("secondaryStatus", status);
        state.put("lastModifiedTime", Instant.now().toString());
        state.put("terminal", true);
        state.put("source", "event");
        if (failureReason != null) {
            state.put("failureReason", failureReason);
        }
        String json = JSON.writeValueAsString(state);
        EventContract.assertValid("TrainingJobStateChanged", json);
        TestEvents.produce("bench.job-states", job(runId, attempt), "TrainingJobStateChanged", json);
    }

    /** The launcher's verdict on an ended attempt. */
    private static void attemptEnded(String design, String runId, int attempt, String status, boolean relaunch)
            throws Exception {
        Map<String, Object> ended = new HashMap<>();
        ended.put("runId", runId);
        ended.put("designId", design);
        ended.put("attempt", attempt);
        ended.put("trainingJobName", job(runId, attempt));
        ended.put("status", status);
        ended.put("relaunch", relaunch);
        if (relaunch) {
            ended.put("nextAttempt", attempt + 1);
        }
        ended.put("endedAt", Instant.now().toString());
        String json = JSON.writeValueAsString(ended);
        EventContract.assertValid("RunAttemptEnded", json);
        TestEvents.produce("bench.launches", runId, "RunAttemptEnded", json);
    }

    /**
     * A one-run design whose first job fails (CUDA out of memory, after it was billed) and is reported launched.
     *
     * @return the failed job
     */
    private static DescribeTrainingJobResponse firstAttemptRanOutOfMemory(String design, String run) throws Exception {
        String first = job(run, 1);
        createJob(first, "ml.p3.2xlarge", 1, 512, false);
        TestEvents.produce("bench.design-status", design, "DesignAccepted", TestEvents.designAccepted(design, List.of(run)));
        plan(design, 1, "ml.p3.2xlarge", 1, 1, false);
        launched(design, run, 1, "ml.p3.2xlarge", 1);
        return awaitStatus(first, TrainingJobStatus.FAILED);
    }

    /** The launcher's second verdict on an attempt whose announced relaunch did not happen. */
    private static void relaunchCalledOff(String design, String runId, int attempt, String why) throws Exception {
        Map<String, Object> ended = new HashMap<>();
        ended.put("runId", runId);
        ended.put("designId", design);
        ended.put("attempt", attempt);
        ended.put("trainingJobName", job(runId, attempt));
        ended.put("status", "Failed");
        ended.put("relaunch", false);
        ended.put("relaunchCalledOff", why);
        ended.put("endedAt", Instant.now().toString());
        String json = JSON.writeValueAsString(ended);
        EventContract.assertValid("RunAttemptEnded", json);
        TestEvents.produce("bench.launches", runId, "RunAttemptEnded", json);
    }

    /** A finisher sweep passes (every second in tests) and the run still has exactly one RunResult. */
    private static void assertStillOneResultAfterASweep(String runId) throws InterruptedException {
        Thread.sleep(2500);
        assertEquals(1, results(runId, 2, Duration.ofSeconds(3)).size(), "exactly one RunResult");
    }

    private static List<ConsumerRecord<String, String>> results(String runId, int n, Duration timeout) {
        return TestTopics.consume("bench.results", n, timeout, r -> runId.equals(r.key()));
    }

    private static List<ConsumerRecord<String, String>> designCompleted(String design, int n, Duration timeout) {
        return TestTopics.consume("bench.design-status", n, timeout,
                r -> design.equals(r.key()) && "DesignCompleted".equals(TestTopics.header(r, "event-type")));
    }
}
