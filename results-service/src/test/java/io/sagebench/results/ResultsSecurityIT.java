package io.sagebench.results;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.sagebench.testkit.TestTokens;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/**
 * The security contract (docs/security.md) with real RS256 tokens: reads need viewer (or designer, operator), re-pricing
 * and the price-book refresh need operator; no token, an expired one, one signed by a foreign key or naming another
 * issuer is 401, the wrong role 403. /q/health and /q/metrics stay open.
 */
@QuarkusTest
class ResultsSecurityIT {

    private static final String DESIGN = "it-security";

    /** Tokens the service must refuse with 401, whatever role they claim. */
    private static final Map<String, Function<String, String>> BAD_TOKENS = Map.of(
            "expired", s -> TestTokens.expired(s, "operator", "viewer"),
            "foreign key", s -> TestTokens.foreign(s, "operator", "viewer"),
            "wrong issuer", s -> TestTokens.wrongIssuer(s, "operator", "viewer"));

    private static void knownDesign() {
        String run = TestEvents.runId(DESIGN, 1);
        TestEvents.produce("bench.design-status", DESIGN, "DesignAccepted", TestEvents.designAccepted(DESIGN, List.of(run)));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                Api.asViewer().get("/designs/" + DESIGN + "/progress").then().statusCode(200));
    }

    private static void refused(String method, String path, int status) {
        ValidatableResponse r = given().when().request(method, path).then().statusCode(401);
        r.body(not(containsString("Exception")));
        for (Map.Entry<String, Function<String, String>> bad : BAD_TOKENS.entrySet()) {
            given().auth().oauth2(bad.getValue().apply("mallory")).when().request(method, path).then()
                    .statusCode(401);
        }
        if (status == 403) {
            given().auth().oauth2(TestTokens.viewer("vera")).when().request(method, path).then().statusCode(403);
            given().auth().oauth2(TestTokens.designer("dana")).when().request(method, path).then().statusCode(403);
            given().auth().oauth2(TestTokens.token("nobody")).when().request(method, path).then().statusCode(403);
        }
    }

    @Test
    void readsNeedAViewerTokenAndEveryRoleReads() {
        knownDesign();
        for (String path : List.of("/designs", "/designs/" + DESIGN + "/progress", "/designs/" + DESIGN + "/results",
                "/designs/" + DESIGN + "/results.csv", "/designs/" + DESIGN + "/analysis",
                "/designs/" + DESIGN + "/recommendations/cheapest", "/designs/" + DESIGN + "/progress/stream",
                "/price-books")) {
            refused("GET", path, 401);
            given().auth().oauth2(TestTokens.token("nobody")).get(path).then().statusCode(403);
        }
        given().auth().oauth2(TestTokens.viewer("vera")).get("/designs/" + DESIGN + "/progress").then().statusCode(200);
        given().auth().oauth2(TestTokens.designer("dana")).get("/designs/" + DESIGN + "/results").then().statusCode(200);
        given().auth().oauth2(TestTokens.operator("otto")).get("/designs").then().statusCode(200);
    }

    @Test
    void repricingNeedsAnOperator() {
        knownDesign();
        String path = "/designs/" + DESIGN + "/reprice?book=2021-study";
        refused("POST", path, 403);
        given().auth().oauth2(TestTokens.operator("otto")).post(path).then().statusCode(200);
    }

    @Test
    void refreshingThePriceBookNeedsAnOperator() {
        refused("POST", "/price-books/refresh", 403);
        given().auth().oauth2(TestTokens.operator("otto")).post("/price-books/refresh").then().statusCode(200)
                .body("created", equalTo(false));
    }

    @Test
    void healthMetricsAndTheStaticDashboardStayOpen() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200).body(containsString("sagemaker"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("sagebench_runs_in_progress"));
        given().get("/").then().statusCode(200).body(containsString("sagebench · results"));
    }
}
