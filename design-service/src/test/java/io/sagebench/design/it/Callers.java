package io.sagebench.design.it;

import io.restassured.specification.RequestSpecification;
import io.sagebench.testkit.TestTokens;
import io.sagebench.testkit.TestTopics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Real signed callers for the ITs (TestTokens): alice the designer unless a test says otherwise. */
final class Callers {

    static final String ALICE = "alice";

    private Callers() {
    }

    /** A REST call as alice, a designer. */
    static RequestSpecification alice() {
        return as(TestTokens.designer(ALICE));
    }

    static RequestSpecification as(String token) {
        return given().auth().oauth2(token);
    }

    /** {@code headers} (may be null) plus {@code authorization: Bearer <alice's designer token>}. */
    static Map<String, String> signed(Map<String, String> headers) {
        return signed(headers, TestTokens.designer(ALICE));
    }

    static Map<String, String> signed(Map<String, String> headers, String token) {
        Map<String, String> out = headers == null ? new LinkedHashMap<>() : new LinkedHashMap<>(headers);
        out.put("authorization", TestTokens.bearer(token));
        return out;
    }

    /** An event on bench.designs with the house headers, signed by alice. @return its event id */
    static String produceSigned(String key, String eventType, String json) {
        String eventId = UUID.randomUUID().toString();
        TestTopics.produce("bench.designs", key, json,
                signed(Map.of("event-id", eventId, "event-type", eventType, "schema-version", "1")));
        return eventId;
    }
}
