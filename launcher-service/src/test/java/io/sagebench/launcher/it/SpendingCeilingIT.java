package io.sagebench.launcher.it;

import static io.restassured.RestAssured.given;
import static io.sagebench.launcher.it.LauncherTestSupport.launchEvents;
import static io.sagebench.launcher.it.LauncherTestSupport.newDesignId;
import static io.sagebench.launcher.it.LauncherTestSupport.planRun;
import static io.sagebench.launcher.it.LauncherTestSupport.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.sagebench.launcher.domain.RunPlans;
import io.sagebench.testkit.EventContract;
import io.sagebench.testkit.JwtIssuerResource;
import io.sagebench.testkit.KafkaBrokerResource;
import io.sagebench.testkit.MariaDbResource;
import io.sagebench.testkit.S3StandInResource;
import io.sagebench.testkit.SageMakerEmulatorResource;

/**
 * The daily ceilings of docs/security.md on the real broker, MariaDB and emulator, with small ceilings: USD 100 per
 * designer, USD 250 for the account; each run is quoted USD 75.38 (RunPlans). A run over a ceiling is deferred with the
 * reason and the figures, and no job is created for it; when a finished run's billed cost (RunResult) leaves room, the
 * waiting run is admitted.
 */
@QuarkusTest
@TestProfile(SpendingCeilingIT.SmallCeilings.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(restrictToAnnotatedClass = true, value = MariaDbResource.class,
        initArgs = @ResourceArg(name = "schema", value = "sagebench_launcher_ceiling"))
@QuarkusTestResource(value = SageMakerEmulatorResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = S3StandInResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = JwtIssuerResource.class, restrictToAnnotatedClass = true)
class SpendingCeilingIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    public static class SmallCeilings implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sagebench.launcher.ceiling.designer-usd-per-day", "100",
                    "sagebench.launcher.ceiling.account-usd-per-day", "250");
        }
    }

    private static Map<String, Object> runBy(String designId, int sequence, String designer) {
        Map<String, Object> run = RunPlans.p3Baseline(designId, sequence, 30);
        run.put("submittedBy", designer);
        return run;
    }

    private static long jobsOf(String runId) {
        return SageMakerEmulatorResource.emulator().createdJobNames().stream()
                .filter(n -> n.startsWith("bench-" + runId + "-")).count();
    }

    @Test
    void runsOverTheDesignerOrTheAccountCeilingAreDeferredWithTheFiguresAndNeverLaunched() throws Exception {
        String designId = newDesignId();
        var aliceFirst = runBy(designId, 1, "alice");
        var aliceSecond = runBy(designId, 2, "alice");
        planRun(aliceFirst);
        assertEquals(1, launchEvents((String) aliceFirst.get("runId"), "RunLaunched", 1, WAIT).size());
        String second = (String) aliceSecond.get("runId");
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String payload = LauncherTestSupport.json(aliceSecond);
        EventContract.assertValid("RunPlanned", payload);
        io.sagebench.testkit.TestTopics.produce("bench.runs", second, payload, Map.of("event-id",
                java.util.UUID.randomUUID().toString(), "event-type", "RunPlanned", "schema-version", "1",
                "traceparent", "00-" + traceId + "-00f067aa0ba902b7-01"));

        var deferred = launchEvents(second, "RunDeferred", 1, WAIT);
        assertEquals(1, deferred.size(), "alice's second run would take her to USD 150.76 > 100");
        assertTrue(io.sagebench.testkit.TestTopics.header(deferred.get(0), "traceparent").contains(traceId),
                "RunDeferred continues the run's trace");
        EventContract.assertValid("RunDeferred", deferred.get(0).value());
        var event = tree(deferred.get(0).value());
        assertEquals("designer-ceiling", event.get("reason").asText());
        String detail = event.get("detail").asText();
        assertTrue(detail.contains("alice") && detail.contains("USD 75.38") && detail.contains("USD 100.00"), detail);

        // two more designers fit their own ceilings and the account's: USD 226.14 admitted today
        var bob = runBy(designId, 3, "bob");
        var carol = runBy(designId, 4, "carol");
        planRun(bob);
        assertEquals(1, launchEvents((String) bob.get("runId"), "RunLaunched", 1, WAIT).size());
        planRun(carol);
        assertEquals(1, launchEvents((String) carol.get("runId"), "RunLaunched", 1, WAIT).size());

        // re-checked every second, still over: one RunDeferred per episode and never a job
        Thread.sleep(3000);
        assertEquals(1, launchEvents(second, "RunDeferred", 2, Duration.ofSeconds(3)).size());
        assertEquals(0, jobsOf(second));
        String metrics = given().get("/q/metrics").then().extract().asString();
        assertTrue(LauncherObservabilityIT.value(metrics, "sagebench_runs_deferred_total",
                "reason=\"designer-ceiling\"") >= 1, "deferrals are counted by reason");
        assertEquals(226.14, LauncherObservabilityIT.value(metrics, "sagebench_spend_today_usd",
                "scope=\"account\""), 0.01, "three admitted runs");

        // alice's first run finishes and is billed USD 10: her quote is replaced by what was spent, so her waiting
        // run now fits (10 + 75.38 <= 100; the account 10 + 75.38 × 3 = 236.14 <= 250) and is admitted. (Only one run
        // waits here: two waiting runs that both fit would race for the room.)
        String aliceFirstRun = (String) aliceFirst.get("runId");
        Map<String, Object> result = new java.util.LinkedHashMap<>();
        result.put("runId", aliceFirstRun);
        result.put("designId", designId);
        result.put("cellId", aliceFirst.get("cellId"));
        result.put("status", "Completed");
        result.put("trainingJobName", "bench-" + aliceFirstRun + "-a1");
        result.put("cluster", aliceFirst.get("cluster"));
        result.put("datasetSize", 100000);
        result.put("globalBatchSize", 32);
        result.put("learningRate", 5e-5);
        result.put("billableSeconds", 9412);
        result.put("costUsd", 10.0);
        result.put("priceBookVersion", "2021-study");
        String resultPayload = LauncherTestSupport.json(result);
        EventContract.assertValid("RunResult", resultPayload);
        io.sagebench.testkit.TestTopics.produceEvent("bench.results", aliceFirstRun, "RunResult", resultPayload);

        // bench.results is created by this first record, so the consumer may first have to learn of its partitions
        assertEquals(1, launchEvents(second, "RunLaunched", 1, Duration.ofSeconds(90)).size(),
                "admitted once the billed cost left room under alice's ceiling");
        assertEquals(1, jobsOf(second));
        assertTrue(io.sagebench.testkit.TestTopics.header(launchEvents(second, "RunLaunched", 1, WAIT).get(0),
                "traceparent").contains(traceId), "and so does its RunLaunched, admitted later from stored state");

        // a run without a designer fits the designer ceiling of `unknown`, but takes the account over USD 250
        var dave = runBy(designId, 5, null);
        dave.remove("submittedBy");
        planRun(dave);
        String daveRun = (String) dave.get("runId");
        var accountDeferred = launchEvents(daveRun, "RunDeferred", 1, WAIT);
        assertEquals(1, accountDeferred.size());
        var accountEvent = tree(accountDeferred.get(0).value());
        assertEquals("account-ceiling", accountEvent.get("reason").asText());
        assertTrue(accountEvent.get("detail").asText().contains("USD 236.14"), accountEvent.toString());
        Thread.sleep(2000);
        assertEquals(0, jobsOf(daveRun), "the account is still over: 236.14 + 75.38 > 250");
        assertEquals(1, launchEvents(daveRun, "RunDeferred", 2, Duration.ofSeconds(3)).size());
        given().auth().oauth2(io.sagebench.testkit.TestTokens.viewer("vera")).get("/launches/{runId}", daveRun)
                .then().statusCode(200).body("state", org.hamcrest.Matchers.equalTo("DEFERRED"))
                .body("deferReason", org.hamcrest.Matchers.equalTo("account-ceiling"));
        metrics = given().get("/q/metrics").then().extract().asString();
        assertTrue(LauncherObservabilityIT.value(metrics, "sagebench_runs_deferred_total",
                "reason=\"account-ceiling\"") >= 1);
        assertEquals(236.14, LauncherObservabilityIT.value(metrics, "sagebench_spend_today_usd",
                "scope=\"account\""), 0.01, "alice's bill and three quotes");
    }
}
