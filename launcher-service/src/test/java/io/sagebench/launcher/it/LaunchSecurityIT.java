package io.sagebench.launcher.it;

import static io.restassured.RestAssured.given;
import static io.sagebench.launcher.it.LauncherTestSupport.DLQ;
import static io.sagebench.launcher.it.LauncherTestSupport.launchEvents;
import static io.sagebench.launcher.it.LauncherTestSupport.newDesignId;
import static io.sagebench.launcher.it.LauncherTestSupport.planRun;
import static io.sagebench.launcher.it.LauncherTestSupport.tree;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
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

/**
 * docs/security.md for the launcher: tokens on the REST port, and the run rules enforced again here (defense in depth)
 * for records that reach bench.runs without passing design-service: no sagemaker_* hyperparameter, no image from a
 * run, role and buckets only from configuration.
 */
@QuarkusTest
class LaunchSecurityIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    SageMakerClient sageMaker;

    private static long jobsOf(String runId) {
        return SageMakerEmulatorResource.emulator().createdJobNames().stream()
                .filter(n -> n.startsWith("bench-" + runId + "-")).count();
    }

    @Test
    void readsNeedAValidTokenWithARoleAndProbesStayOpen() {
        given().get("/launches/usage").then().statusCode(401);
        given().auth().oauth2(TestTokens.expired("vera", "viewer")).get("/launches/usage").then().statusCode(401);
        given().auth().oauth2(TestTokens.foreign("vera", "viewer")).get("/launches/usage").then().statusCode(401);
        given().auth().oauth2(TestTokens.wrongIssuer("vera", "viewer")).get("/launches/usage").then().statusCode(401);
        given().header("Authorization", "Bearer not-a-jwt").get("/launches/usage").then().statusCode(401);
        given().auth().oauth2(TestTokens.token("mallory")).get("/launches/usage").then().statusCode(403);
        given().auth().oauth2(TestTokens.token("mallory", "auditor")).get("/launches/{runId}", "d-000000000000-r001")
                .then().statusCode(403);
        for (String token : new String[] {TestTokens.viewer("vera"), TestTokens.designer("alice"),
                TestTokens.operator("olga")}) {
            given().auth().oauth2(token).get("/launches/usage").then().statusCode(200);
        }
        // probes and Prometheus need no token, and a 401 body gives nothing away
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().auth().oauth2(TestTokens.foreign("vera", "viewer")).get("/launches/usage").then()
                .body(not(containsString("Exception")));
    }

    @Test
    void aReservedHyperparameterFailsTheRunWithTheRuleAndTheNextRunStillLaunches() {
        String designId = newDesignId();
        Map<String, Object> smuggler = RunPlans.p3Baseline(designId, 1, 30);
        smuggler.put("hyperparameters", new LinkedHashMap<>(Map.of("sagemaker_program", "evil.py",
                "SageMaker_Submit_Directory", "s3://attacker/evil.tar.gz", "warmup_steps", "10")));
        String bad = (String) smuggler.get("runId");
        Map<String, Object> good = RunPlans.p3Baseline(designId, 2, 30);

        planRun(smuggler);
        planRun(good);

        var failed = launchEvents(bad, "RunLaunchFailed", 1, WAIT);
        assertEquals(1, failed.size(), "the smuggling run must fail with a reason");
        EventContract.assertValid("RunLaunchFailed", failed.get(0).value());
        var event = tree(failed.get(0).value());
        assertEquals("validation", event.get("failureClass").asText());
        assertFalse(event.get("retryable").asBoolean());
        String message = event.get("message").asText();
        assertTrue(message.contains("$.hyperparameters.sagemaker_program: reserved-hyperparameter"), message);
        assertTrue(message.contains("$.hyperparameters.SageMaker_Submit_Directory: reserved-hyperparameter"), message);
        var dead = TestTopics.consume(DLQ, 1, WAIT, r -> bad.equals(r.key()));
        assertEquals(1, dead.size(), "the record is dead-lettered with its reason");
        assertTrue(TestTopics.header(dead.get(0), "dead-letter-reason").contains("reserved-hyperparameter"));

        String goodRun = (String) good.get("runId");
        assertEquals(1, launchEvents(goodRun, "RunLaunched", 1, WAIT).size(), "the next good run still launches");
        assertEquals(0, jobsOf(bad), "no training job for the refused run");
    }

    @Test
    void aRunNamingAnImageOutsideTheAllowlistIsFailedNeverLaunched() {
        String designId = newDesignId();
        Map<String, Object> run = RunPlans.p3Baseline(designId, 1, 30);
        run.put("trainingImage", "123456789012.dkr.ecr.us-east-1.amazonaws.com/cryptominer:latest");
        String runId = (String) run.get("runId");

        planRun(run);

        var failed = launchEvents(runId, "RunLaunchFailed", 1, WAIT);
        assertEquals(1, failed.size());
        String message = tree(failed.get(0).value()).get("message").asText();
        assertTrue(message.contains("image-not-allowed") && message.contains("cryptominer"), message);
        assertEquals(0, jobsOf(runId), "never launched");
    }

    @Test
    void roleAndBucketsComeFromConfigurationNeverFromTheRun() {
        String designId = newDesignId();
        Map<String, Object> run = RunPlans.p3Baseline(designId, 1, 30);
        run.put("roleArn", "arn:aws:iam::999999999999:role/Attacker");
        run.put("bucket", "attacker-bucket");
        run.put("outputPath", "s3://attacker-bucket/out/");
        String runId = (String) run.get("runId");

        planRun(run);

        assertEquals(1, launchEvents(runId, "RunLaunched", 1, WAIT).size());
        var job = sageMaker.describeTrainingJob(b -> b.trainingJobName("bench-" + runId + "-a1"));
        assertEquals("arn:aws:iam::000000000000:role/SageMakerExecutionRole", job.roleArn());
        assertEquals("s3://sagemaker-us-east-1-000000000000/", job.outputDataConfig().s3OutputPath());
        assertFalse(job.toString().contains("attacker"), "nothing of the run's own role or bucket reaches SageMaker");
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(TestTokens.viewer("vera"))
                .get("/launches/{runId}", runId).then().statusCode(200).body("runId", equalTo(runId)));
    }
}
