package io.sagebench.launcher.it;

import static io.restassured.RestAssured.given;
import static io.sagebench.launcher.it.LauncherTestSupport.DLQ;
import static io.sagebench.launcher.it.LauncherTestSupport.RUNS;
import static io.sagebench.launcher.it.LauncherTestSupport.json;
import static io.sagebench.launcher.it.LauncherTestSupport.launchEvents;
import static io.sagebench.launcher.it.LauncherTestSupport.newDesignId;
import static io.sagebench.launcher.it.LauncherTestSupport.planRun;
import static io.sagebench.launcher.it.LauncherTestSupport.tree;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.sagebench.launcher.domain.RunPlans;
import io.sagebench.testkit.EventContract;
import io.sagebench.testkit.SageMakerEmulatorResource;

import io.sagebench.testkit.TestTokens;
import io.sagebench.testkit.TestTopics;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

@QuarkusTest
class LaunchRunIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    SageMakerClient sageMaker;

    private static long jobsNamed(String name) {
        return SageMakerEmulatorResource.emulator().createdJobNames().stream().filter(name::equals).count();
    }

    @Test
    void runPlannedBecomesTheEstimatorsTrainingJobAndRunLaunched() {
        String designId = newDesignId();
        Map<String, Object> run = RunPlans.p3Baseline(designId, 1, 333);
        run.put("hyperparameters", Map.of("warmup_steps", "100"));
        String runId = (String) run.get("runId");
        String jobName = "bench-" + runId + "-a1";

        planRun(run);

        await().atMost(WAIT).until(() -> jobsNamed(jobName) == 1);
        var job = sageMaker.describeTrainingJob(b -> b.trainingJobName(jobName));
        assertEquals("ml.p3.2xlarge", job.resourceConfig().instanceTypeAsString());
        assertEquals(1, job.resourceConfig().instanceCount());
        assertEquals(333, job.resourceConfig().volumeSizeInGB(), "the run's volume size must reach SageMaker");
        var hp = job.hyperParameters();
        assertEquals("\"distilbert-base-uncased\"", hp.get("model_name_or_path"));
        assertEquals("\"amazon_polarity\"", hp.get("dataset_name"));
        assertEquals("100000", hp.get("dataset_size"));
        assertEquals("84375", hp.get("max_steps"));
        assertEquals("32", hp.get("per_device_train_batch_size"));
        assertEquals("5e-05", hp.get("learning_rate"));
        assertEquals("100", hp.get("warmup_steps"));
        assertEquals("\"train.py\"", hp.get("sagemaker_program"));
        assertEquals("\"" + jobName + "\"", hp.get("sagemaker_job_name"));
        assertFalse(hp.containsKey("sagemaker_distributed_dataparallel_enabled"));
        assertEquals("763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-training:"
                + "2.1.0-transformers4.36.0-gpu-py310-cu121-ubuntu20.04", job.algorithmSpecification().trainingImage());
        var tags = sageMaker.listTags(b -> b.resourceArn(job.trainingJobArn())).tags();
        assertTrue(tags.stream().anyMatch(t -> t.key().equals("sagebench:run-id") && t.value().equals(runId)));
        assertTrue(tags.stream().anyMatch(t -> t.key().equals("sagebench:design-id") && t.value().equals(designId)));

        var launched = launchEvents(runId, "RunLaunched", 1, WAIT);
        assertEquals(1, launched.size());
        var record = launched.get(0);
        EventContract.assertValid("RunLaunched", record.value());
        assertNotNull(TestTopics.header(record, "event-id"));
        assertEquals("1", TestTopics.header(record, "schema-version"));
        var event = tree(record.value());
        assertEquals(jobName, event.get("trainingJobName").asText());
        assertEquals(job.trainingJobArn(), event.get("trainingJobArn").asText());
        assertEquals(1, event.get("attempt").asInt());

        given().auth().oauth2(TestTokens.viewer("vera")).get("/launches/{runId}", runId).then().statusCode(200)
                .body("trainingJobName", equalTo(jobName))
                .body("state", anyOf(equalTo("LAUNCHED"), equalTo("ENDED")));
        given().auth().oauth2(TestTokens.viewer("vera")).get("/launches/{runId}", "d-000000000000-r999").then().statusCode(404);
        given().get("/q/health/live").then().statusCode(200).body("checks.name", hasItem("launch-dispatcher"));
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void redeliveredRunPlannedNeverCreatesASecondJob() throws Exception {
        Map<String, Object> run = RunPlans.p3Baseline(newDesignId(), 2, 50);
        String runId = (String) run.get("runId");
        String jobName = "bench-" + runId + "-a1";
        String payload = json(run);

        String eventId = planRun(run);
        // The same event redelivered, and the same run published again under a new event id.
        TestTopics.produce(RUNS, runId, payload, Map.of("event-id", eventId, "event-type", "RunPlanned",
                "schema-version", "1"));
        TestTopics.produceEvent(RUNS, runId, "RunPlanned", payload);

        await().atMost(WAIT).until(() -> jobsNamed(jobName) == 1);
        // Give any duplicate time to show up before asserting it did not.
        var launched = launchEvents(runId, "RunLaunched", 2, Duration.ofSeconds(6));
        assertEquals(1, launched.size(), "one RunLaunched per run");
        assertEquals(1, jobsNamed(jobName));
    }

    @Test
    void poisonRecordsAreDeadLetteredAndTheNextRecordIsProcessed() {
        String designId = newDesignId();
        TestTopics.produce(RUNS, designId + "-poison", "{not json", Map.of("event-type", "RunPlanned"));

        Map<String, Object> invalid = RunPlans.p3Baseline(designId, 1, 30);
        invalid.remove("volumeSizeGb");
        invalid.put("cluster", Map.of("instanceType", "p3", "instanceCount", 1, "gpusPerInstance", 1,
                "totalGpus", 1, "distribution", "none"));
        String invalidRunId = (String) invalid.get("runId");
        TestTopics.produceEvent(RUNS, invalidRunId, "RunPlanned", json(invalid));

        Map<String, Object> good = RunPlans.p3Baseline(designId, 2, 30);
        String goodJob = "bench-" + good.get("runId") + "-a1";
        planRun(good);

        await().atMost(WAIT).until(() -> jobsNamed(goodJob) == 1);

        var dead = TestTopics.consume(DLQ, 2, WAIT,
                r -> r.key() != null && r.key().startsWith(designId));
        assertEquals(2, dead.size(), "both bad records dead-lettered");
        for (var r : dead) {
            String reason = TestTopics.header(r, "dead-letter-reason");
            assertNotNull(reason, "dead-letter-reason header");
            assertTrue(reason.contains("invalid RunPlanned"), reason);
        }
        var invalidReason = dead.stream().filter(r -> r.key().equals(invalidRunId)).findFirst().orElseThrow();
        assertTrue(TestTopics.header(invalidReason, "dead-letter-reason").contains("$.volumeSizeGb: required"));

        // The run that names itself also fails visibly, as validation, so the design does not wait for it forever.
        var failed = launchEvents(invalidRunId, "RunLaunchFailed", 1, WAIT);
        assertEquals(1, failed.size());
        EventContract.assertValid("RunLaunchFailed", failed.get(0).value());
        var event = tree(failed.get(0).value());
        assertEquals("validation", event.get("failureClass").asText());
        assertFalse(event.get("retryable").asBoolean());
        assertEquals(0, jobsNamed("bench-" + invalidRunId + "-a1"));
    }
}
