package io.sagebench.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.sagebench.emulator.PriceListStandIn;
import io.sagebench.results.repository.PriceBookStore;
import io.sagebench.results.repository.PriceBookVersionEntity;
import io.sagebench.testkit.PriceListStandInResource;
import io.sagebench.testkit.TestTopics;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The price-book refresh from the AWS Price List API, through the unmodified SDK v2 PricingClient against the
 * stand-in: a changed price makes a new effective-dated version (stored in MariaDB, the bundled book stays the seed),
 * an unchanged listing makes none, every page is read, an unreadable entry is skipped, and re-pricing and new results
 * use the new version.
 */
@QuarkusTest
class PriceBookRefreshIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    PriceBookStore priceBooks;

    /** The other ITs of this JVM price with the seed book: the refreshed versions and the stand-in's changes go. */
    @AfterEach
    void restoreSeed() {
        QuarkusTransaction.requiringNew().run(() -> PriceBookVersionEntity.delete("version like ?1", "aws-%"));
        priceBooks.reload();
        PriceListStandInResource.standIn().clear().withSeedPrices().pageSize(100);
    }

    private static JsonNode refresh() throws Exception {
        return JSON.readTree(Api.asOperator().post("/price-books/refresh").then().statusCode(200).extract().asString());
    }

    private static int versionCount() {
        return Api.asViewer().get("/price-books").then().statusCode(200).extract().jsonPath().getList("$").size();
    }

    @Test
    void anUnchangedListingMakesNoVersion() throws Exception {
        int before = versionCount();
        JsonNode outcome = refresh();
        assertFalse(outcome.path("created").asBoolean(), outcome.toString());
        assertEquals(8, outcome.path("trainingPricesRead").asInt(), "the seed's eight prices: " + outcome);
        assertEquals(0, outcome.path("changes").size());
        assertEquals(before, versionCount());
    }

    @Test
    void aChangedPriceOnALaterPageMakesAVersionAndAnUnreadableEntryIsSkipped() throws Exception {
        PriceListStandIn standIn = PriceListStandInResource.standIn();
        // 8 products and 2 raw entries at 3 a page: the change to find is on a later page than the first.
        standIn.pageSize(3).setPrice("us-east-1", "ml.g5.48xlarge", "16.288")
                .addRawEntry("{\"product\": this is not JSON")
                .addRawEntry("{\"product\":{\"productFamily\":\"ML Instance\",\"attributes\":{\"usagetype\":"
                        + "\"USE1-Train:ml.p3.2xlarge\",\"instanceName\":\"ml.p3.2xlarge\",\"regionCode\":\"us-east-1\"}},"
                        + "\"terms\":{\"OnDemand\":{}}}");
        int callsBefore = standIn.getProductsCalls();
        JsonNode outcome = refresh();
        assertTrue(outcome.path("created").asBoolean(), outcome.toString());
        String version = outcome.path("version").asText();
        assertTrue(version.startsWith("aws-" + LocalDate.now(ZoneOffset.UTC)), version);
        assertEquals(4, outcome.path("pagesRead").asInt(), "10 entries at 3 a page: " + outcome);
        assertEquals(4, standIn.getProductsCalls() - callsBefore, "every NextToken followed");
        assertEquals(1, outcome.path("changes").size(), outcome.toString());
        JsonNode change = outcome.path("changes").get(0);
        assertEquals("ml.g5.48xlarge", change.path("instanceType").asText());
        assertEquals(20.36, change.path("before").asDouble(), 1e-9);
        assertEquals(16.288, change.path("after").asDouble(), 1e-9);
        assertEquals(2, outcome.path("skipped").size(), "the unparseable and the priceless entry: " + outcome);

        JsonNode newest = JSON.readTree(Api.asViewer().get("/price-books").then().statusCode(200).extract().asString()).get(0);
        assertEquals(version, newest.path("version").asText(), "the refreshed version is the newest");
        assertEquals(16.288, newest.path("prices").path("us-east-1").path("ml.g5.48xlarge").asDouble(), 1e-9);
        assertEquals(3.825, newest.path("prices").path("us-east-1").path("ml.p3.2xlarge").asDouble(), 1e-9);

        // The same listing again: nothing changed since the new version, so no other version.
        JsonNode again = refresh();
        assertFalse(again.path("created").asBoolean(), again.toString());
    }

    @Test
    void aRunEndingAfterTheRefreshIsPricedWithTheNewVersionAndRepriceUsesIt() throws Exception {
        PriceListStandInResource.standIn().setPrice("us-east-1", "ml.p3.2xlarge", "3.06");
        JsonNode outcome = refresh();
        String version = outcome.path("version").asText();
        assertTrue(outcome.path("created").asBoolean(), outcome.toString());

        String design = "it-refresh";
        String run = TestEvents.runId(design, 1);
        DescribeTrainingJobResponse job = EmulatorJobs.runToCompletion(run, "ml.p3.2xlarge", 1, 1000);
        TestEvents.produce("bench.design-status", design, "DesignAccepted", TestEvents.designAccepted(design, List.of(run)));
        TestEvents.produce("bench.runs", run, "RunPlanned",
                TestEvents.runPlanned(design, 1, "ml.p3.2xlarge", 1, 1, 1000, "abcdef012345"));
        TestEvents.produce("bench.launches", run, "RunLaunched", TestEvents.runLaunched(design, run, "ml.p3.2xlarge", 1));
        TestEvents.produce("bench.job-states", TestEvents.jobName(run), "TrainingJobStateChanged",
                TestEvents.jobState(design, run, "Completed", "Completed"));
        List<ConsumerRecord<String, String>> published = TestTopics.consume("bench.results", 1, Duration.ofSeconds(60),
                r -> run.equals(r.key()));
        JsonNode result = JSON.readTree(published.get(0).value());
        assertEquals(version, result.path("priceBookVersion").asText(), "priced with the newest effective version");
        assertEquals(3.06, result.path("hourlyPriceUsd").asDouble(), 1e-12);
        assertEquals(job.billableTimeInSeconds() / 3600.0 * 3.06, result.path("costUsd").asDouble(), 1e-6);

        JsonNode seedPriced = JSON.readTree(Api.asOperator().post("/designs/" + design + "/reprice?book=2021-study")
                .then().statusCode(200).extract().asString()).get(0);
        assertEquals(job.billableTimeInSeconds() / 3600.0 * 3.825, seedPriced.path("costUsd").asDouble(), 1e-6);
        assertEquals(version, seedPriced.path("originalPriceBookVersion").asText());
        JsonNode refreshedPriced = JSON.readTree(Api.asOperator().post("/designs/" + design + "/reprice?book=" + version)
                .then().statusCode(200).extract().asString()).get(0);
        assertEquals(3.06, refreshedPriced.path("hourlyPriceUsd").asDouble(), 1e-12);
    }
}
