package io.sagebench.monitor.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.sagebench.testkit.ConnectionKiller;
import io.sagebench.testkit.ElasticMqResource;
import io.sagebench.testkit.EventContract;
import io.sagebench.testkit.JwtIssuerResource;
import io.sagebench.testkit.KafkaBrokerResource;
import io.sagebench.testkit.MariaDbResource;
import io.sagebench.testkit.TestTokens;
import io.sagebench.testkit.TestTopics;

/**
 * The database goes away under the service (its connections KILLed for 8 s, as a MariaDB restart looks from the pool)
 * while RunLaunched records arrive on bench.launches: each job is learned once the database is back, and none is
 * dead-lettered. A valid record must never be dead-lettered because of the service's own database
 * (docs/architecture.md, Reliability); the launches channel used to give up after about 0.3 s of retries.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(value = MariaDbResource.class,
        initArgs = @ResourceArg(name = "schema", value = "sagebench_monitor_test"))
@QuarkusTestResource(ElasticMqResource.class)
@QuarkusTestResource(JwtIssuerResource.class)
class DatabaseOutageIT {

    @Test
    void launchesArrivingWhileTheDatabaseIsAwayAreEachLearnedNoneDeadLettered() throws Exception {
        String designId = "dbaway" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        int n = 6;
        int killed;
        try (ConnectionKiller outage = ConnectionKiller.ofThisService()) {
            long start = System.nanoTime();
            for (int i = 1; i <= n; i++) {
                String runId = runId(designId, i);
                String launch = """
                        {"runId":"%s","designId":"%s","attempt":1,"trainingJobName":"%s","trainingJobArn":"%s"}
                        """.formatted(runId, designId, job(runId), "arn:aws:sagemaker:us-east-1:000000000000:"
                        + "training-job/" + job(runId));
                EventContract.assertValid("RunLaunched", launch);
                TestTopics.produceEvent("bench.launches", runId, "RunLaunched", launch);
                Thread.sleep(1_000);
            }
            Thread.sleep(Math.max(0, 8_000 - (System.nanoTime() - start) / 1_000_000));
            killed = outage.killed();
        }
        assertTrue(killed > 0, "the outage killed no connection of the service: the test proves nothing");

        for (int i = 1; i <= n; i++) {
            String runId = runId(designId, i);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    given().auth().oauth2(TestTokens.viewer("vera")).get("/jobs/{name}", job(runId)).then()
                            .statusCode(200).body("runId", equalTo(runId)).body("designId", equalTo(designId)));
        }
        assertEquals(0, TestTopics.consume("bench.dlq.monitor-service", 1, Duration.ofSeconds(3),
                r -> r.key() != null && r.key().startsWith(designId)).size(), "a valid RunLaunched was dead-lettered");
        given().get("/q/health/live").then().statusCode(200);
    }

    private static String runId(String designId, int i) {
        return designId + "-r00" + i;
    }

    private static String job(String runId) {
        return "bench-" + runId + "-a1";
    }
}
