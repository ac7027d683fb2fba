package io.sagebench.results;

import io.restassured.specification.RequestSpecification;
import io.sagebench.testkit.TestTokens;

import static io.restassured.RestAssured.given;

/** REST calls as a signed-in user: real RS256 tokens from the test issuer (JwtIssuerResource), no mocked identity. */
final class Api {

    private Api() {
    }

    static RequestSpecification asViewer() {
        return given().auth().oauth2(TestTokens.viewer("vera"));
    }

    static RequestSpecification asOperator() {
        return given().auth().oauth2(TestTokens.operator("otto"));
    }

    static String viewerBearer() {
        return TestTokens.bearer(TestTokens.viewer("vera"));
    }
}
