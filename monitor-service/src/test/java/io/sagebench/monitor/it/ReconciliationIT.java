package io.sagebench.monitor.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.sagebench.emulator.Faults;
import io.sagebench.testkit.EventContract;
import io.sagebench.testkit.SageMakerEmulatorResource;
import io.sagebench.testkit.TestTopics;
import io.sagebench.testkit.TestTokens;
import io.sagebench.testkit.JwtIssuerResource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.MetricDefinition;
import software.amazon.awssdk.services.sagemaker.model.TrainingInputMode;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A job whose every event was lost (the emulator drops 100% of them) still reaches its true terminal state on
 * bench.job-states, through DescribeTrainingJob.
 */
@QuarkusTest
@QuarkusTestResource(value = SageMakerEmulatorResource.class, initArgs = {
        @ResourceArg(name = "clockFactor", value = "20000"), @ResourceArg(name = "createRate", value = "0")})
@QuarkusTestResource(JwtIssuerResource.class)
class ReconciliationIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aSilentJobIsReconciledToItsTerminalState() throws Exception {
        String designId = "rec" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        String runId = designId + "-r001";
        String job = "bench-" + runId + "-a1";
        SageMakerEmulatorResource.emulator().faults().set("dropEventPercent", 100);
        String arn;
        DescribeTrainingJobResponse truth;
        try (SageMakerClient sm = SageMakerClient.builder()
                .endpointOverride(SageMakerEmulatorResource.emulator().endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build()) {
            arn = sm.createTrainingJob(b -> b.trainingJobName(job)
                    .roleArn("arn:aws:iam::000000000000:role/SageMakerExecutionRole")
                    .algorithmSpecification(a -> a.trainingImage("763104351884.dkr.ecr.us-east-1.amazonaws.com/"
                                    + "huggingface-pytorch-training:2.1.0-transformers4.36.0-gpu-py310-cu121-ubuntu20.04")
                            .trainingInputMode(TrainingInputMode.FILE)
                            .metricDefinitions(MetricDefinition.builder().name("eval_f1_score")
                                    .regex("'eval_f1_score': ([0-9]+(.|e\\-)[0-9]+),?").build()))
                    .inputDataConfig(c -> c.channelName("train").dataSource(d -> d.s3DataSource(s -> s
                            .s3DataType("S3Prefix").s3Uri("s3://bench-data/train").s3DataDistributionType("FullyReplicated"))))
                    .outputDataConfig(o -> o.s3OutputPath("s3://sagemaker-us-east-1-000000000000/"))
                    .resourceConfig(r -> r.instanceType("ml.p3.2xlarge").instanceCount(1).volumeSizeInGB(30))
                    .stoppingCondition(s -> s.maxRuntimeInSeconds(86400))
                    .hyperParameters(Map.of("model_name_or_path", "\"distilbert-base-uncased\"", "max_steps", "1000",
                            "per_device_train_batch_size", "32", "learning_rate", "5e-05", "max_seq_length", "512",
                            "dataset_size", "100000", "sagemaker_program", "\"train.py\""))).trainingJobArn();
            truth = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> sm.describeTrainingJob(b -> b.trainingJobName(job)),
                            d -> List.of("Completed", "Failed", "Stopped").contains(d.trainingJobStatusAsString()));
        }
        // the job has ended, so it sends no more events: the other tests sharing the emulator get it back fault-free
        SageMakerEmulatorResource.emulator().faults().set("dropEventPercent", 0);
        assertTrue(SageMakerEmulatorResource.emulator().faults().count(Faults.EVENTS_DROPPED) > 0
                || SageMakerEmulatorResource.emulator().faults().count(Faults.EVENTS_SENT) == 0, "no event reached the queue");
        String launch = """
                {"runId":"%s","designId":"%s","attempt":1,"trainingJobName":"%s","trainingJobArn":"%s"}
                """.formatted(runId, designId, job, arn);
        EventContract.assertValid("RunLaunched", launch);
        PrometheusScrape before = PrometheusScrape.now();
        String traceId = TracingIT.randomHex(16);
        TestTopics.produce("bench.launches", runId, launch, Map.of("event-id", UUID.randomUUID().toString(),
                "event-type", "RunLaunched", "schema-version", "1",
                "traceparent", "00-" + traceId + "-" + TracingIT.randomHex(8) + "-01"));

        // no event ever arrives; after the silence (4 s in tests) the reconciler asks SageMaker
        List<ConsumerRecord<String, String>> records = TestTopics.consume("bench.job-states", 1,
                Duration.ofSeconds(40), r -> job.equals(r.key()) && read(r).get("terminal").asBoolean());
        assertEquals(1, records.size(), "terminal state of " + job + " reconciled");
        EventContract.assertValid("TrainingJobStateChanged", records.get(0).value());
        JsonNode state = read(records.get(0));
        assertEquals("reconcile", state.get("source").asText());
        assertEquals(truth.trainingJobStatusAsString(), state.get("status").asText(), "the emulator's truth");
        assertEquals(truth.secondaryStatusAsString(), state.get("secondaryStatus").asText());
        assertEquals(runId, state.get("runId").asText());
        assertEquals(designId, state.get("designId").asText());
        assertEquals(arn, state.get("trainingJobArn").asText());
        assertTrue(state.get("sourceEventId") == null);
        String traceparent = TestTopics.header(records.get(0), "traceparent");
        assertEquals(traceId, traceparent == null ? null : traceparent.substring(3, 35),
                "the reconciled state travels in the RunLaunched's trace");
        PrometheusScrape after = PrometheusScrape.now();
        assertTrue(after.value("sagebench_reconciliations_total", Map.of("outcome", "corrected"))
                > before.value("sagebench_reconciliations_total", Map.of("outcome", "corrected")), "reconciliation counted");
        assertTrue(after.value("sagebench_job_events_received_total", Map.of("source", "reconcile"))
                > before.value("sagebench_job_events_received_total", Map.of("source", "reconcile")));
        assertTrue(after.value("sagebench_aws_calls_seconds_count", Map.of("operation", "DescribeTrainingJob", "outcome", "success"))
                > before.value("sagebench_aws_calls_seconds_count", Map.of("operation", "DescribeTrainingJob", "outcome", "success")),
                "DescribeTrainingJob timed");

        // and once terminal it is never checked again: still exactly one record for the job a few passes later
        Thread.sleep(6000);
        List<ConsumerRecord<String, String>> all = TestTopics.consume("bench.job-states", 5, Duration.ofSeconds(3),
                r -> job.equals(r.key()));
        assertEquals(1, all.size());
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> given().auth().oauth2(TestTokens.viewer("vera")).get("/jobs/{name}", job).then()
                .statusCode(200).body("terminal", equalTo(true)).body("transitions[0].source", equalTo("reconcile")));
    }

    private static JsonNode read(ConsumerRecord<String, String> r) {
        try {
            return JSON.readTree(r.value());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
