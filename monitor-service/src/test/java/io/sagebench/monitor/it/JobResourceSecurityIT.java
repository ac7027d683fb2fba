package io.sagebench.monitor.it;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.sagebench.testkit.ElasticMqResource;
import io.sagebench.testkit.JwtIssuerResource;
import io.sagebench.testkit.KafkaBrokerResource;
import io.sagebench.testkit.MariaDbResource;
import io.sagebench.testkit.TestTokens;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

/**
 * The security contract (docs/security.md) on the monitor's REST API: every endpoint is a read, open to viewer, designer
 * and operator tokens; no token or a bad one is 401, a token without a reading role 403; /q/ stays open.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(value = MariaDbResource.class,
        initArgs = @ResourceArg(name = "schema", value = "sagebench_monitor_test"))
@QuarkusTestResource(ElasticMqResource.class)
@QuarkusTestResource(JwtIssuerResource.class)
class JobResourceSecurityIT {

    private static final List<String> READS = List.of("/jobs/stats", "/jobs/bench-nobody-r001-a1");

    @Test
    void everyReadRoleMayRead() {
        for (String token : List.of(TestTokens.viewer("vera"), TestTokens.designer("dana"), TestTokens.operator("otto"))) {
            given().auth().oauth2(token).get("/jobs/stats").then().statusCode(200);
            // an unknown job is a 404 for a reader, not a 401/403
            given().auth().oauth2(token).get("/jobs/bench-nobody-r001-a1").then().statusCode(404);
        }
    }

    @Test
    void withoutATokenOrWithABadOneEveryReadIs401() {
        for (String path : READS) {
            given().get(path).then().statusCode(401);
            given().auth().oauth2(TestTokens.expired("vera", "viewer")).get(path).then().statusCode(401);
            given().auth().oauth2(TestTokens.foreign("vera", "viewer")).get(path).then().statusCode(401);
            given().auth().oauth2(TestTokens.wrongIssuer("vera", "viewer")).get(path).then().statusCode(401);
            given().header("Authorization", "Bearer not-a-jwt").get(path).then().statusCode(401);
        }
    }

    @Test
    void aTokenWithoutAReadingRoleIs403() {
        for (String path : READS) {
            given().auth().oauth2(TestTokens.token("mallory", "auditor")).get(path).then().statusCode(403);
            given().auth().oauth2(TestTokens.token("nobody")).get(path).then().statusCode(403);
        }
    }

    @Test
    void probesAndMetricsStayOpenAndCarryNoToken() {
        String token = TestTokens.viewer("vera");
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
        given().auth().oauth2(token).get("/jobs/stats").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200).body(not(containsString(token)));
    }
}
