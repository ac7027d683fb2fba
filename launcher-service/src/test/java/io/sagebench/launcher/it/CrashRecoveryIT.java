package io.sagebench.launcher.it;

import static io.restassured.RestAssured.given;
import static io.sagebench.launcher.it.LauncherTestSupport.json;
import static io.sagebench.launcher.it.LauncherTestSupport.launchEvents;
import static io.sagebench.launcher.it.LauncherTestSupport.newDesignId;
import static io.sagebench.launcher.it.LauncherTestSupport.tree;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.sagebench.launcher.domain.LaunchState;
import io.sagebench.launcher.app.RunPlanReader;
import io.sagebench.launcher.domain.RunPlans;
import io.sagebench.launcher.client.TrainingJobRequestFactory;
import io.sagebench.launcher.repository.AdmissionRepository;
import io.sagebench.launcher.repository.LaunchEntity;
import io.sagebench.testkit.SageMakerEmulatorResource;
import io.sagebench.testkit.TestTokens;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;

/**
 * A launcher replica died after CreateTrainingJob got through but before it recorded the outcome: the row is left
 * LAUNCHING, holding its quota, with an expired lease. Another dispatcher must adopt the job (ResourceInUse, tag
 * check), publish RunLaunched once, and not count the instances twice.
 */
@QuarkusTest
class CrashRecoveryIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TYPE = "ml.p3.8xlarge";

    @Inject
    SageMakerClient sageMaker;
    @Inject
    TrainingJobRequestFactory requests;
    @Inject
    AdmissionRepository admission;

    @Test
    void orphanedLaunchIsAdoptedAfterItsLease() {
        String designId = newDesignId();
        Map<String, Object> run = RunPlans.p3Baseline(designId, 1, 30);
        run.put("cluster", Map.of("instanceType", TYPE, "instanceCount", 2, "gpusPerInstance", 4, "totalGpus", 8,
                "distribution", "none"));
        String runId = (String) run.get("runId");
        String jobName = "bench-" + runId + "-a1";
        String payload = json(run);
        int usageBefore = QuarkusTransaction.requiringNew().call(() -> admission.usage(TYPE));

        // What the dead replica left behind: the job exists, the row says LAUNCHING and holds 2 instances.
        var request = requests.build(RunPlanReader.read(payload), 1);
        String arn = await().atMost(WAIT).ignoreException(SageMakerException.class)
                .until(() -> sageMaker.createTrainingJob(request).trainingJobArn(), a -> a != null);
        QuarkusTransaction.requiringNew().run(() -> {
            Instant now = Instant.now();
            LaunchEntity l = new LaunchEntity();
            l.runId = runId;
            l.designId = designId;
            l.cellId = (String) run.get("cellId");
            l.state = LaunchState.LAUNCHING;
            l.attempt = 1;
            l.trainingJobName = jobName;
            l.instanceType = TYPE;
            l.instanceCount = 2;
            l.planJson = payload;
            l.holdsQuota = true;
            l.createdAt = now.minusSeconds(300);
            l.updatedAt = now.minusSeconds(300);
            l.nextAttemptAt = now.minusSeconds(1); // lease expired
            l.persist();
            admission.lockUsage(TYPE);
            admission.addUsage(TYPE, 2);
        });

        var launched = launchEvents(runId, "RunLaunched", 1, WAIT);
        assertEquals(1, launched.size());
        assertEquals(arn, tree(launched.get(0).value()).get("trainingJobArn").asText());
        given().auth().oauth2(TestTokens.viewer("vera")).get("/launches/{runId}", runId).then().statusCode(200)
                .body("state", equalTo("LAUNCHED")).body("holdsQuota", equalTo(true));
        assertEquals(1, SageMakerEmulatorResource.emulator().createdJobNames().stream().filter(jobName::equals).count());
        assertEquals(usageBefore + 2, (int) QuarkusTransaction.requiringNew().call(() -> admission.usage(TYPE)),
                "the adopted job's instances are counted once");
        assertEquals(1, launchEvents(runId, "RunLaunched", 2, Duration.ofSeconds(3)).size());
    }
}
