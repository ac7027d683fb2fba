package io.sagebench.design.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.sagebench.design.app.Canonical;
import io.sagebench.testkit.EventContract;
import io.sagebench.testkit.TestTopics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static io.sagebench.design.it.Callers.alice;
import static io.sagebench.design.it.Callers.produceSigned;
import static io.sagebench.design.it.Callers.signed;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class DesignServiceIT {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(30);

    /** The study's 15 runs, as explicit cells (num_nodes decoded: 1 = one p3.2xlarge, 2/4 = that many p3.16xlarge). */
    static ObjectNode study(String designId) {
        int[][] rows = {{4, 600000}, {4, 100000}, {4, 1000000}, {2, 1000000}, {1, 100000}, {4, 600000}, {1, 1000000},
                {1, 100000}, {4, 1000000}, {1, 600000}, {2, 100000}, {4, 100000}, {1, 1000000}, {2, 100000}, {2, 600000}};
        ObjectNode d = small(designId);
        ArrayNode cells = d.putArray("cells");
        for (int[] row : rows) {
            ObjectNode cell = cells.addObject();
            cell.putObject("cluster").put("instanceType", row[0] == 1 ? "ml.p3.2xlarge" : "ml.p3.16xlarge")
                    .put("instanceCount", row[0] == 1 ? 1 : row[0]).put("distribution", row[0] == 1 ? "none" : "smdistributed");
            cell.put("datasetSize", row[1]);
        }
        d.put("budgetUsd", 2500);
        return d;
    }

    /** A 2-run design: two dataset sizes on one p3.16xlarge. */
    static ObjectNode small(String designId) {
        ObjectNode d = MAPPER.createObjectNode();
        if (designId != null) {
            d.put("designId", designId);
        }
        d.put("name", "it " + designId);
        d.putObject("model").put("hubId", "distilbert-base-uncased").put("parameters", 66955010).put("sequenceLength", 512);
        ObjectNode ds = d.putObject("dataset").put("hubId", "amazon_polarity").put("trainFraction", 0.9).put("splitSeed", 42);
        ds.putArray("sizes").add(100000).add(1000000);
        d.putArray("clusters").addObject().put("instanceType", "ml.p3.16xlarge").put("instanceCount", 1);
        d.putArray("perDeviceBatchSizes").add(32);
        d.putArray("learningRates").add(5e-5);
        d.putObject("schedule").put("samplesSeen", 2_700_000);
        d.putObject("hyperparameters").put("fp16", "false");
        d.put("randomSeed", 2021);
        d.put("budgetUsd", 1000);
        return d;
    }

    static ObjectNode reuseDesign(String designId) {
        ObjectNode d = small(designId);
        d.putArray("learningRates").add(6e-5);
        return d;
    }

    static Response post(Object body) {
        return alice().contentType(ContentType.JSON).body(body.toString()).post("/designs");
    }

    static List<ConsumerRecord<String, String>> records(String topic, int n, String keyPrefix, String eventType) {
        return TestTopics.consume(topic, n, WAIT, r -> r.key() != null && r.key().startsWith(keyPrefix)
                && eventType.equals(TestTopics.header(r, "event-type")));
    }

    /** Waits for {@code expected} matching records, then checks for a few seconds that no more arrive. */
    static void assertExactly(int expected, String topic, String keyPrefix, String eventType) {
        assertEquals(expected, records(topic, expected, keyPrefix, eventType).size());
        assertEquals(expected, TestTopics.consume(topic, expected + 1, Duration.ofSeconds(4),
                r -> r.key() != null && r.key().startsWith(keyPrefix)
                        && eventType.equals(TestTopics.header(r, "event-type"))).size(),
                () -> "more than " + expected + " " + eventType + " for " + keyPrefix);
    }

    static void assertHouseHeaders(ConsumerRecord<String, String> r, String eventType) {
        assertEquals(eventType, TestTopics.header(r, "event-type"));
        assertEquals("1", TestTopics.header(r, "schema-version"));
        assertNotNull(TestTopics.header(r, "event-id"));
    }

    @Test
    void postedStudyIsPlannedStoredAndPublished() throws Exception {
        Response response = post(study("study-it"));
        response.then().statusCode(201);
        JsonNode body = MAPPER.readTree(response.asString());
        assertEquals("study-it", body.get("designId").asText());
        assertEquals(15, body.get("runCount").asInt());
        assertEquals(15, body.get("runIds").size());
        assertEquals(2021, body.get("randomSeed").asLong());
        assertEquals("2021-study", body.get("quote").get("priceBookVersion").asText());
        assertTrue(body.get("quote").get("totalUsd").asDouble() > 0);
        assertEquals(2500, body.get("quote").get("budgetUsd").asDouble());

        List<ConsumerRecord<String, String>> planned = records("bench.runs", 15, "study-it-", "RunPlanned");
        assertEquals(15, planned.size());
        Set<String> runIds = new HashSet<>();
        for (ConsumerRecord<String, String> r : planned) {
            EventContract.assertValid("RunPlanned", r.value());
            assertHouseHeaders(r, "RunPlanned");
            JsonNode run = MAPPER.readTree(r.value());
            assertEquals(r.key(), run.get("runId").asText());
            runIds.add(run.get("runId").asText());
            long expectedSteps = switch (run.get("cluster").get("totalGpus").asInt()) {
                case 1 -> 84_375;
                case 16 -> 5273;
                case 32 -> 2637;
                default -> -1;
            };
            assertEquals(expectedSteps, run.get("steps").asLong(), r.value());
            assertEquals("false", run.get("hyperparameters").get("fp16").asText());
        }
        assertEquals(new HashSet<>(MAPPER.convertValue(body.get("runIds"), List.class)), runIds);

        List<ConsumerRecord<String, String>> accepted = records("bench.design-status", 1, "study-it", "DesignAccepted");
        assertEquals(1, accepted.size());
        EventContract.assertValid("DesignAccepted", accepted.get(0).value());
        assertHouseHeaders(accepted.get(0), "DesignAccepted");
        assertEquals(15, MAPPER.readTree(accepted.get(0).value()).get("runIds").size());

        // the REST path records the design on its topic of record too
        List<ConsumerRecord<String, String>> submitted = records("bench.designs", 1, "study-it", "DesignSubmitted");
        assertEquals(1, submitted.size());
        EventContract.assertValid("DesignSubmitted", submitted.get(0).value());

        JsonNode stored = MAPPER.readTree(alice().get("/designs/study-it").then().statusCode(200).extract().asString());
        assertEquals("ACCEPTED", stored.get("status").asText());
        assertEquals(15, stored.get("runs").size());
        assertEquals("study-it-r001", stored.get("runs").get(0).get("runId").asText());
        assertEquals("PLANNED", stored.get("runs").get(0).get("status").asText());
        assertEquals(15, stored.get("design").get("cells").size());
    }

    @Test
    void aDesignPostedTwiceIsOneDesign() throws Exception {
        ObjectNode design = small("twice");
        String first = post(design).then().statusCode(201).extract().asString();
        String second = post(design).then().statusCode(200).extract().asString();
        assertEquals(MAPPER.readTree(first), MAPPER.readTree(second));

        // the same id with other content is a conflict
        post(small("twice").put("budgetUsd", 999)).then().statusCode(409);

        // without an id, the id is derived from the content: the same content is the same design
        ObjectNode anonymous = small(null).put("name", "anonymous twice");
        // the submitter (the token's name) is part of the design's content
        String derived = Canonical.derivedDesignId(anonymous.deepCopy().put("submittedBy", Callers.ALICE));
        post(anonymous).then().statusCode(201);
        JsonNode again = MAPPER.readTree(post(anonymous).then().statusCode(200).extract().asString());
        assertEquals(derived, again.get("designId").asText());

        // The REST call also put DesignSubmitted on bench.designs; the consumer must treat it as the same design.
        await().atMost(WAIT).until(() -> records("bench.designs", 1, "twice", "DesignSubmitted").size() == 1);
        assertExactly(2, "bench.runs", "twice-", "RunPlanned");
        assertExactly(1, "bench.design-status", "twice", "DesignAccepted");
        assertExactly(2, "bench.runs", derived + "-", "RunPlanned");
    }

    @Test
    void aRawRecordOnBenchDesignsWorksLikeTheRestCall() throws Exception {
        ObjectNode design = small(null).put("name", "typed into kafka-console-producer");
        // the submitter (the record's token) is part of the design's content
        String designId = Canonical.derivedDesignId(design.deepCopy().put("submittedBy", Callers.ALICE));
        TestTopics.produce("bench.designs", null, design.toString(), signed(null));

        List<ConsumerRecord<String, String>> planned = records("bench.runs", 2, designId + "-", "RunPlanned");
        assertEquals(2, planned.size());
        planned.forEach(r -> EventContract.assertValid("RunPlanned", r.value()));
        List<ConsumerRecord<String, String>> accepted = records("bench.design-status", 1, designId, "DesignAccepted");
        assertEquals(1, accepted.size());
        EventContract.assertValid("DesignAccepted", accepted.get(0).value());
        alice().get("/designs/" + designId).then().statusCode(200);
        // posting it over REST now is the same design
        post(design).then().statusCode(200);
    }

    @Test
    void poisonAndInvalidRecordsAreRejectedAndDeadLetteredThenTheNextDesignRuns() throws Exception {
        TestTopics.produce("bench.designs", "poison", "{this is not json", signed(null));
        ObjectNode invalid = small("bad-design");
        ((ObjectNode) invalid.get("clusters").get(0)).put("instanceType", "ml.nope.huge");
        invalid.putArray("learningRates");
        produceSigned("bad-design", "DesignSubmitted", invalid.toString());
        TestTopics.produce("bench.designs", "good-after-bad", small("good-after-bad").toString(), signed(null));

        List<ConsumerRecord<String, String>> dead = TestTopics.consume("bench.dlq.design-service", 2, WAIT,
                r -> "poison".equals(r.key()) || "bad-design".equals(r.key()));
        assertEquals(2, dead.size());
        Map<String, ConsumerRecord<String, String>> byKey = dead.stream()
                .collect(Collectors.toMap(ConsumerRecord::key, r -> r));
        ConsumerRecord<String, String> poison = byKey.get("poison");
        assertEquals("{this is not json", poison.value());
        assertTrue(TestTopics.header(poison, "dead-letter-reason").contains("malformed JSON"));
        assertEquals("bench.designs", TestTopics.header(poison, "dead-letter-topic"));
        assertNotNull(TestTopics.header(poison, "dead-letter-partition"));
        assertNotNull(TestTopics.header(poison, "dead-letter-offset"));
        String badReason = TestTopics.header(byKey.get("bad-design"), "dead-letter-reason");
        assertTrue(badReason.contains("$.clusters[0].instanceType") && badReason.contains("$.learningRates"), badReason);

        List<ConsumerRecord<String, String>> rejected = TestTopics.consume("bench.design-status", 2, WAIT,
                r -> "DesignRejected".equals(TestTopics.header(r, "event-type"))
                        && (r.value().contains("malformed JSON") || r.value().contains("bad-design")));
        assertEquals(2, rejected.size());
        for (ConsumerRecord<String, String> r : rejected) {
            EventContract.assertValid("DesignRejected", r.value());
            assertHouseHeaders(r, "DesignRejected");
        }
        JsonNode bad = MAPPER.readTree(rejected.stream().filter(r -> "bad-design".equals(r.key())).findFirst()
                .orElseThrow().value());
        Set<String> paths = new HashSet<>();
        bad.get("errors").forEach(e -> paths.add(e.get("path").asText()));
        assertEquals(Set.of("$.clusters[0].instanceType", "$.learningRates"), paths);

        assertEquals(1, records("bench.design-status", 1, "good-after-bad", "DesignAccepted").size());
        assertEquals(2, records("bench.runs", 2, "good-after-bad-", "RunPlanned").size());
        alice().get("/designs/bad-design").then().statusCode(404);
    }

    @Test
    void badRequestListsEveryError() throws Exception {
        ObjectNode d = small("bad-rest");
        ArrayNode clusters = (ArrayNode) d.get("clusters");
        clusters.addObject().put("instanceType", "ml.p3.8xlarge").put("instanceCount", 2).put("distribution", "smdistributed");
        clusters.addObject().put("instanceType", "ml.p3.2xlarge").put("instanceCount", 21);
        ((ObjectNode) d.get("schedule")).put("epochs", 3);
        ((ArrayNode) d.get("dataset").get("sizes")).add(0);
        d.remove("budgetUsd");
        JsonNode body = MAPPER.readTree(post(d).then().statusCode(400).extract().asString());
        Set<String> paths = new HashSet<>();
        body.get("errors").forEach(e -> {
            paths.add(e.get("path").asText());
            assertTrue(!e.get("message").asText().isBlank());
        });
        assertEquals(Set.of("$.clusters[1].distribution", "$.clusters[2].instanceCount", "$.schedule",
                "$.dataset.sizes[2]", "$.budgetUsd"), paths, body.toString());

        JsonNode malformed = MAPPER.readTree(alice().contentType(ContentType.JSON).body("{\"model\": ")
                .post("/designs").then().statusCode(400).extract().asString());
        assertEquals("$", malformed.get("errors").get(0).get("path").asText());
        alice().get("/designs/bad-rest").then().statusCode(404);
    }

    @Test
    void overBudgetIsRejectedWithTheQuote() throws Exception {
        JsonNode body = MAPPER.readTree(post(study("over-budget").put("budgetUsd", 50)).then().statusCode(400)
                .extract().asString());
        assertEquals("$.budgetUsd", body.get("errors").get(0).get("path").asText());
        assertTrue(body.get("errors").get(0).get("message").asText().contains("more than the budget of 50.00 USD"));
    }

    @Test
    void previewQuotesWithoutStoring() throws Exception {
        JsonNode body = MAPPER.readTree(alice().contentType(ContentType.JSON).body(small("preview-only").toString())
                .post("/designs/preview").then().statusCode(200).extract().asString());
        assertEquals(2, body.get("runs").size());
        body.get("runs").forEach(r -> EventContract.assertValid("RunPlanned", r.toString()));
        alice().get("/designs/preview-only").then().statusCode(404);
    }

    @Test
    void cancelStopsEveryUnfinishedRun() throws Exception {
        // its own learning rate: the run reported Completed below must not be reused by other tests' designs
        ObjectNode design = study("cancel-me");
        design.putArray("learningRates").add(4e-5);
        post(design).then().statusCode(201);
        // results-service reports run 1 finished: cancel leaves it alone
        TestTopics.produceEvent("bench.results", "cancel-me-r001", "RunResult",
                "{\"runId\":\"cancel-me-r001\",\"designId\":\"cancel-me\",\"status\":\"Completed\"}");
        await().atMost(WAIT).until(() -> MAPPER.readTree(alice().get("/designs/cancel-me").asString())
                .get("runs").get(0).get("status").asText().equals("COMPLETED"));

        JsonNode cancelled = MAPPER.readTree(alice().contentType(ContentType.JSON).body("{\"reason\":\"test\"}")
                .post("/designs/cancel-me/cancel").then().statusCode(202).extract().asString());
        assertEquals("CANCELLED", cancelled.get("status").asText());
        assertEquals(14, cancelled.get("cancelledRunIds").size());

        List<ConsumerRecord<String, String>> stops = records("bench.runs", 14, "cancel-me-", "RunCancelRequested");
        assertEquals(14, stops.size());
        stops.forEach(r -> EventContract.assertValid("RunCancelRequested", r.value()));
        assertTrue(stops.stream().noneMatch(r -> r.key().equals("cancel-me-r001")));
        List<ConsumerRecord<String, String>> done = records("bench.design-status", 1, "cancel-me", "DesignCancelled");
        assertEquals(1, done.size());
        EventContract.assertValid("DesignCancelled", done.get(0).value());

        // cancelling again publishes nothing new; an unknown design is 404
        alice().post("/designs/cancel-me/cancel").then().statusCode(202);
        alice().post("/designs/nope/cancel").then().statusCode(404);
        assertExactly(14, "bench.runs", "cancel-me-", "RunCancelRequested");
        assertExactly(1, "bench.design-status", "cancel-me", "DesignCancelled");
    }

    @Test
    void aRunResultWithMembersOfTheWrongKindsIsDeadLetteredAndTheNextOneProcessed() throws Exception {
        ObjectNode design = study("poison-results");
        design.putArray("learningRates").add(7.5e-5);
        post(design).then().statusCode(201);
        Map<String, String> poison = Map.of(
                "poison-results-obj", "{\"runId\":{\"id\":\"poison-results-r001\"},\"status\":\"Completed\"}",
                "poison-results-arr", "{\"runId\":\"poison-results-r001\",\"status\":[\"Completed\"]}",
                "poison-results-num", "{\"runId\":7,\"status\":\"Completed\"}",
                "poison-results-none", "{}",
                "poison-results-list", "[\"poison-results-r001\",\"Completed\"]");
        poison.forEach((key, value) -> TestTopics.produceEvent("bench.results", key, "RunResult", value));
        TestTopics.produceEvent("bench.results", "poison-results-r002", "RunResult",
                "{\"runId\":\"poison-results-r002\",\"designId\":\"poison-results\",\"status\":\"Failed\"}");

        await().atMost(WAIT).until(() -> MAPPER.readTree(alice().get("/designs/poison-results").asString())
                .get("runs").get(1).get("status").asText().equals("FAILED"));
        List<ConsumerRecord<String, String>> dead = TestTopics.consume("bench.dlq.design-service", poison.size(), WAIT,
                r -> poison.containsKey(r.key()));
        assertEquals(poison.size(), dead.size(), "dead letters: " + dead);
        Map<String, String> reasons = new java.util.HashMap<>();
        dead.forEach(r -> reasons.put(r.key(), TestTopics.header(r, "dead-letter-reason")));
        assertTrue(reasons.get("poison-results-obj").contains("$.runId"), reasons.toString());
        assertTrue(reasons.get("poison-results-arr").contains("$.status"), reasons.toString());
        assertTrue(reasons.get("poison-results-num").contains("$.runId"), reasons.toString());
        assertTrue(reasons.get("poison-results-none").contains("$.runId"), reasons.toString());
        assertTrue(reasons.get("poison-results-list").contains("JSON object"), reasons.toString());
        dead.forEach(r -> assertEquals("bench.results", TestTopics.header(r, "dead-letter-topic")));
        // run 1 was named only by poison: untouched
        assertEquals("PLANNED", MAPPER.readTree(alice().get("/designs/poison-results").asString())
                .get("runs").get(0).get("status").asText());
    }

    @Test
    void cancelRequestedOnKafka() throws Exception {
        post(small("cancel-kafka")).then().statusCode(201);
        produceSigned("cancel-kafka", "DesignCancelRequested",
                "{\"designId\":\"cancel-kafka\",\"reason\":\"changed my mind\"}");
        List<ConsumerRecord<String, String>> stops = records("bench.runs", 2, "cancel-kafka-", "RunCancelRequested");
        assertEquals(2, stops.size());
        assertEquals("changed my mind", MAPPER.readTree(stops.get(0).value()).get("reason").asText());
        assertEquals(1, records("bench.design-status", 1, "cancel-kafka", "DesignCancelled").size());
        assertEquals("CANCELLED", MAPPER.readTree(alice().get("/designs/cancel-kafka").asString()).get("status").asText());

        // a cancel for an unknown design is dead-lettered with the reason
        produceSigned("ghost", "DesignCancelRequested", "{\"designId\":\"ghost\"}");
        List<ConsumerRecord<String, String>> dead = TestTopics.consume("bench.dlq.design-service", 1, WAIT,
                r -> "ghost".equals(r.key()));
        assertEquals(1, dead.size());
        assertTrue(TestTopics.header(dead.get(0), "dead-letter-reason").contains("unknown design ghost"));
    }

    @Test
    void seedCsvImportsAsTheStudysRuns() throws Exception {
        String csv;
        try (var in = DesignServiceIT.class.getResourceAsStream("/seed/experimental_design.csv")) {
            csv = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        JsonNode body = MAPPER.readTree(alice().contentType("text/csv").body(csv)
                .queryParam("designId", "seed-import").queryParam("budgetUsd", 2500)
                .post("/designs/import").then().statusCode(201).extract().asString());
        assertEquals(15, body.get("runCount").asInt());
        List<ConsumerRecord<String, String>> planned = records("bench.runs", 15, "seed-import-", "RunPlanned");
        assertEquals(15, planned.size());
        // kept in the CSV's (already randomized) order: r001 is the first row, 4 × ml.p3.16xlarge on 600k samples
        JsonNode first = MAPPER.readTree(planned.stream().filter(r -> r.key().equals("seed-import-r001"))
                .findFirst().orElseThrow().value());
        assertEquals(4, first.get("cluster").get("instanceCount").asInt());
        assertEquals(600000, first.get("dataset").get("size").asLong());
        assertEquals(2637, first.get("steps").asLong());

        alice().contentType("text/csv").body("what,ever\n1,2\n").post("/designs/import").then().statusCode(400);
    }

    @Test
    void runsMeasuredByAnEarlierDesignAreReused() throws Exception {
        // its own learning rate, so the runs reported Completed here are not reused by other tests' designs
        ObjectNode first = reuseDesign("reuse-a");
        post(first).then().statusCode(201);
        String measuredRun = "reuse-a-r001";
        TestTopics.produceEvent("bench.results", measuredRun, "RunResult",
                "{\"runId\":\"" + measuredRun + "\",\"designId\":\"reuse-a\",\"status\":\"Completed\"}");
        await().atMost(WAIT).until(() -> MAPPER.readTree(alice().get("/designs/reuse-a").asString())
                .get("runs").get(0).get("status").asText().equals("COMPLETED"));

        // the same cells in a new design with one more dataset size: one run is reused, two are planned
        ObjectNode second = reuseDesign("reuse-b");
        ((ArrayNode) second.get("dataset").get("sizes")).add(600000);
        JsonNode body = MAPPER.readTree(post(second).then().statusCode(201).extract().asString());
        assertEquals(2, body.get("runCount").asInt());
        assertEquals(1, body.get("reusedRuns").asInt());
        assertEquals(1, body.get("quote").get("reusedRuns").asInt());
        assertTrue(body.get("quote").get("savedUsd").asDouble() > 0);
        assertExactly(2, "bench.runs", "reuse-b-", "RunPlanned");
        ConsumerRecord<String, String> accepted = records("bench.design-status", 1, "reuse-b", "DesignAccepted").get(0);
        EventContract.assertValid("DesignAccepted", accepted.value());
        assertEquals(measuredRun, MAPPER.readTree(accepted.value()).get("reusedFrom").elements().next().asText());

        // everything already measured: rejected unless rerun is asked for
        TestTopics.produceEvent("bench.results", "reuse-a-r002", "RunResult",
                "{\"runId\":\"reuse-a-r002\",\"designId\":\"reuse-a\",\"status\":\"Completed\"}");
        await().atMost(WAIT).until(() -> MAPPER.readTree(alice().get("/designs/reuse-a").asString())
                .get("runs").get(1).get("status").asText().equals("COMPLETED"));
        JsonNode rejected = MAPPER.readTree(post(reuseDesign("reuse-c")).then().statusCode(400).extract().asString());
        assertEquals("$.rerun", rejected.get("errors").get(0).get("path").asText());
        post(reuseDesign("reuse-d").put("rerun", true)).then().statusCode(201);
    }

    @Test
    void healthAndOpenApiAreServed() {
        given().get("/q/health").then().statusCode(200);
        String openapi = given().get("/q/openapi").then().statusCode(200).extract().asString();
        assertTrue(openapi.contains("/designs/preview") && openapi.contains("/designs/{designId}/cancel"), openapi);
        given().get("/q/swagger-ui/").then().statusCode(200);
    }
}
