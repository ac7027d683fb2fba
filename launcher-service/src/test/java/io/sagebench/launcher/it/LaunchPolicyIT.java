package io.sagebench.launcher.it;

import static io.restassured.RestAssured.given;
import static io.sagebench.launcher.it.LauncherTestSupport.JOB_STATES;
import static io.sagebench.launcher.it.LauncherTestSupport.RUNS;
import static io.sagebench.launcher.it.LauncherTestSupport.json;
import static io.sagebench.launcher.it.LauncherTestSupport.launchEvents;
import static io.sagebench.launcher.it.LauncherTestSupport.newDesignId;
import static io.sagebench.launcher.it.LauncherTestSupport.planRun;
import static io.sagebench.launcher.it.LauncherTestSupport.tree;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.sagebench.launcher.app.RunPlanReader;
import io.sagebench.launcher.domain.RunPlans;
import io.sagebench.launcher.client.TrainingJobRequestFactory;
import io.sagebench.testkit.EventContract;
import io.sagebench.testkit.SageMakerEmulatorResource;

import io.sagebench.testkit.TestTokens;
import io.sagebench.testkit.TestTopics;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;

/** The failure policy against the emulator: throttling, quota, an earlier call that got through, cancel. */
@QuarkusTest
class LaunchPolicyIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    SageMakerClient sageMaker;
    @Inject
    TrainingJobRequestFactory requests;

    private static long jobsNamed(String name) {
        return SageMakerEmulatorResource.emulator().createdJobNames().stream().filter(name::equals).count();
    }

    @Test
    void throttlingDefersTheRunAndItLaunchesLaterWithoutFailing() {
        var faults = SageMakerEmulatorResource.emulator().faults();
        Map<String, Object> run = RunPlans.p3Baseline(newDesignId(), 1, 30);
        String runId = (String) run.get("runId");
        faults.set("throttlePercent", 100);
        try {
            planRun(run);
            var deferred = launchEvents(runId, "RunDeferred", 1, WAIT);
            assertEquals(1, deferred.size());
            EventContract.assertValid("RunDeferred", deferred.get(0).value());
            assertEquals("throttling", tree(deferred.get(0).value()).get("reason").asText());
            assertEquals(0, jobsNamed("bench-" + runId + "-a1"));
        } finally {
            faults.set("throttlePercent", 0);
        }
        await().atMost(WAIT).until(() -> jobsNamed("bench-" + runId + "-a1") == 1);
        assertEquals(1, launchEvents(runId, "RunLaunched", 1, WAIT).size());
        assertEquals(0, launchEvents(runId, "RunLaunchFailed", 1, Duration.ofSeconds(1)).size());
    }

    @Test
    void jobCreatedBeforeACrashIsAdoptedNotDuplicated() throws Exception {
        Map<String, Object> run = RunPlans.p3Baseline(newDesignId(), 1, 30);
        String runId = (String) run.get("runId");
        String jobName = "bench-" + runId + "-a1";
        // What a launcher that died after CreateTrainingJob but before its commit leaves behind.
        var request = requests.build(RunPlanReader.read(json(run)), 1);
        String arn = await().atMost(WAIT).ignoreException(SageMakerException.class)
                .until(() -> sageMaker.createTrainingJob(request).trainingJobArn(), a -> a != null);

        planRun(run);

        var launched = launchEvents(runId, "RunLaunched", 1, WAIT);
        assertEquals(1, launched.size());
        assertEquals(arn, tree(launched.get(0).value()).get("trainingJobArn").asText());
        assertEquals(1, jobsNamed(jobName));
        given().auth().oauth2(TestTokens.viewer("vera")).get("/launches/{runId}", runId).then().statusCode(200).body("trainingJobArn", equalTo(arn));
    }

    @Test
    void quotaDefersTheRunUntilAJobOfThatTypeEnds() {
        // %test config: ml.g5.12xlarge quota is 1 instance.
        String designId = newDesignId();
        Map<String, Object> first = g5Run(designId, 1);
        Map<String, Object> second = g5Run(designId, 2);
        String firstJob = "bench-" + first.get("runId") + "-a1";
        String secondRun = (String) second.get("runId");

        planRun(first);
        await().atMost(WAIT).until(() -> jobsNamed(firstJob) == 1);
        planRun(second);

        var deferred = launchEvents(secondRun, "RunDeferred", 1, WAIT);
        assertEquals(1, deferred.size());
        EventContract.assertValid("RunDeferred", deferred.get(0).value());
        assertEquals("quota", tree(deferred.get(0).value()).get("reason").asText());
        given().auth().oauth2(TestTokens.viewer("vera")).get("/launches/{runId}", secondRun).then().statusCode(200).body("state", equalTo("DEFERRED"));
        assertEquals(0, jobsNamed("bench-" + secondRun + "-a1"));
        assertEquals(0, SageMakerEmulatorResource.emulator().faults().count("quotaRejected"),
                "the launcher must wait for quota itself, never be rejected by SageMaker");

        Map<String, Object> ended = new LinkedHashMap<>();
        ended.put("trainingJobName", firstJob);
        ended.put("runId", first.get("runId"));
        ended.put("designId", designId);
        ended.put("attempt", 1);
        ended.put("status", "Completed");
        ended.put("secondaryStatus", "Completed");
        ended.put("lastModifiedTime", Instant.now().toString());
        ended.put("terminal", true);
        ended.put("source", "event");
        String endedJson = json(ended);
        EventContract.assertValid("TrainingJobStateChanged", endedJson);
        TestTopics.produceEvent(JOB_STATES, firstJob, "TrainingJobStateChanged", endedJson);

        await().atMost(WAIT).until(() -> jobsNamed("bench-" + secondRun + "-a1") == 1);
        assertEquals(1, launchEvents(secondRun, "RunLaunched", 1, WAIT).size());
        given().auth().oauth2(TestTokens.viewer("vera")).get("/launches/{runId}", first.get("runId")).then().body("state", equalTo("ENDED"))
                .body("holdsQuota", equalTo(false));
    }

    @Test
    void cancelStopsALaunchedJobAndDropsAPendingOne() {
        String designId = newDesignId();
        Map<String, Object> run = RunPlans.p3Baseline(designId, 1, 30);
        String runId = (String) run.get("runId");
        String jobName = "bench-" + runId + "-a1";
        planRun(run);
        assertEquals(1, launchEvents(runId, "RunLaunched", 1, WAIT).size());

        TestTopics.produceEvent(RUNS, runId, "RunCancelRequested",
                json(Map.of("runId", runId, "designId", designId, "reason", "test")));
        await().atMost(WAIT).until(() -> Set.of("Stopping", "Stopped").contains(
                sageMaker.describeTrainingJob(b -> b.trainingJobName(jobName)).trainingJobStatusAsString()));

        // Cancel that overtakes its plan: the run must never launch.
        Map<String, Object> late = RunPlans.p3Baseline(designId, 2, 30);
        String lateRun = (String) late.get("runId");
        TestTopics.produceEvent(RUNS, lateRun, "RunCancelRequested", json(Map.of("runId", lateRun, "designId", designId)));
        planRun(late);
        await().atMost(WAIT).untilAsserted(() ->
                given().auth().oauth2(TestTokens.viewer("vera")).get("/launches/{runId}", lateRun).then().statusCode(200).body("state", equalTo("CANCELLED")));
        assertTrue(launchEvents(lateRun, "RunLaunched", 1, Duration.ofSeconds(3)).isEmpty());
        assertEquals(0, jobsNamed("bench-" + lateRun + "-a1"));
    }

    @Test
    void platformFailureIsRelaunchedAsTheNextAttemptButOutOfMemoryIsNot() {
        String designId = newDesignId();
        Map<String, Object> capacity = RunPlans.p3Baseline(designId, 1, 30);
        Map<String, Object> oom = RunPlans.p3Baseline(designId, 2, 30);
        String capacityRun = (String) capacity.get("runId");
        String oomRun = (String) oom.get("runId");
        planRun(capacity);
        planRun(oom);
        assertEquals(1, launchEvents(capacityRun, "RunLaunched", 1, WAIT).size());
        assertEquals(1, launchEvents(oomRun, "RunLaunched", 1, WAIT).size());

        jobFailed(designId, capacityRun, "CapacityError: Unable to provision requested ML compute capacity. "
                + "Please retry using a different ML instance type.");
        jobFailed(designId, oomRun, "AlgorithmError: ExecuteUserScriptError: ExitCode 1 ErrorMessage "
                + "\"RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB\"");

        await().atMost(WAIT).until(() -> jobsNamed("bench-" + capacityRun + "-a2") == 1);
        var launched = launchEvents(capacityRun, "RunLaunched", 2, WAIT);
        assertEquals(2, launched.size(), "every attempt is published");
        var second = tree(launched.get(1).value());
        EventContract.assertValid("RunLaunched", launched.get(1).value());
        assertEquals(2, second.get("attempt").asInt());
        assertEquals("bench-" + capacityRun + "-a2", second.get("trainingJobName").asText());

        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(TestTokens.viewer("vera")).get("/launches/{runId}", oomRun).then()
                .body("state", equalTo("ENDED")).body("attempt", equalTo(1)));
        assertEquals(0, jobsNamed("bench-" + oomRun + "-a2"), "an out-of-memory run would fail again");
    }

    private static void jobFailed(String designId, String runId, String reason) {
        String jobName = "bench-" + runId + "-a1";
        Map<String, Object> failed = new LinkedHashMap<>();
        failed.put("trainingJobName", jobName);
        failed.put("runId", runId);
        failed.put("designId", designId);
        failed.put("attempt", 1);
        failed.put("status", "Failed");
        failed.put("secondaryStatus", "Failed");
        failed.put("lastModifiedTime", Instant.now().toString());
        failed.put("failureReason", reason);
        failed.put("terminal", true);
        String json = json(failed);
        EventContract.assertValid("TrainingJobStateChanged", json);
        TestTopics.produceEvent(JOB_STATES, jobName, "TrainingJobStateChanged", json);
    }

    private static Map<String, Object> g5Run(String designId, int sequence) {
        Map<String, Object> run = RunPlans.p3Baseline(designId, sequence, 30);
        run.put("cluster", Map.of("instanceType", "ml.g5.12xlarge", "instanceCount", 1, "gpusPerInstance", 4,
                "totalGpus", 4, "distribution", "none"));
        return run;
    }
}
