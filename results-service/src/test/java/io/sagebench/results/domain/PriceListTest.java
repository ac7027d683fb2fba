package io.sagebench.results.domain;

import io.sagebench.contracts.catalog.PriceBook;
import io.sagebench.results.client.PriceListDocuments;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PriceListTest {

    /** A SageMaker training product as the Price List API's GetProducts returns it (one PriceList string). */
    static String trainingDocument(String usageType, String instanceName, String regionCode, String usd) {
        return """
                {"product":{"productFamily":"ML Instance","attributes":{"regionCode":%s,"servicecode":"AmazonSageMaker",
                  "usagetype":"%s","locationType":"AWS Region","location":"US East (N. Virginia)",
                  "servicename":"Amazon SageMaker",%s"component":"Training","operation":"RunInstance"},
                  "sku":"ABCDEF0123456789"},
                 "serviceCode":"AmazonSageMaker",
                 "terms":{"OnDemand":{"ABCDEF0123456789.JRTCKXETXF":{"priceDimensions":{
                   "ABCDEF0123456789.JRTCKXETXF.6YS6EN2CT7":{"unit":"Hrs","endRange":"Inf","description":"per hour",
                   "appliesTo":[],"rateCode":"ABCDEF0123456789.JRTCKXETXF.6YS6EN2CT7","beginRange":"0",
                   "pricePerUnit":{"USD":"%s"}}},"sku":"ABCDEF0123456789","effectiveDate":"2026-01-01T00:00:00Z",
                   "offerTermCode":"JRTCKXETXF","termAttributes":{}}}},
                 "version":"20260101000000","publicationDate":"2026-01-01T00:00:00Z"}"""
                .formatted(regionCode == null ? "null" : "\"" + regionCode + "\"", usageType,
                        instanceName == null ? "" : "\"instanceName\":\"" + instanceName + "\",", usd);
    }

    @Test
    void readsTheOnDemandHourlyTrainingPrice() {
        PriceList.ListedPrice p = PriceListDocuments.read(trainingDocument("USE1-Train:ml.p3.2xlarge", "ml.p3.2xlarge",
                "us-east-1", "3.8250000000")).orElseThrow();
        assertEquals(new PriceList.ListedPrice("us-east-1", "ml.p3.2xlarge", new BigDecimal("3.825")), p);
    }

    @Test
    void olderDocumentsNameTheTypeInUsageTypeAndTheRegionByLocation() {
        String doc = trainingDocument("USE1-Train:ml.g5.xlarge", null, null, "1.4080000000")
                .replace("\"regionCode\":null,", "");
        PriceList.ListedPrice p = PriceListDocuments.read(doc).orElseThrow();
        assertEquals("ml.g5.xlarge", p.instanceType());
        assertEquals("us-east-1", p.region());
    }

    @Test
    void otherComponentsAreNotTrainingPrices() {
        String hosting = trainingDocument("USE1-Host:ml.p3.2xlarge", "ml.p3.2xlarge", "us-east-1", "3.825")
                .replace("\"component\":\"Training\"", "\"component\":\"Hosting\"");
        assertTrue(PriceListDocuments.read(hosting).isEmpty());
    }

    @Test
    void unreadableEntriesSaySo() {
        assertThrows(PriceListDocuments.UnreadableEntryException.class, () -> PriceListDocuments.read("{not json"));
        assertThrows(PriceListDocuments.UnreadableEntryException.class, () -> PriceListDocuments.read("{\"terms\":{}}"));
        assertThrows(PriceListDocuments.UnreadableEntryException.class, () -> PriceListDocuments.read(
                trainingDocument("USE1-Train:ml.p3.2xlarge", "ml.p3.2xlarge", "us-east-1", "n/a")));
        assertThrows(PriceListDocuments.UnreadableEntryException.class, () -> PriceListDocuments.read(
                trainingDocument("USE1-Train:ml.p3.2xlarge", "ml.p3.2xlarge", "us-east-1", "0.0000000000")));
    }

    @Test
    void aNewVersionOnlyWhenAPriceChanged() {
        PriceBook book = PriceBook.fromClasspath();
        LocalDate today = LocalDate.parse("2026-11-27");
        Set<String> known = Set.of("ml.p3.2xlarge", "ml.p4d.24xlarge");
        List<PriceList.ListedPrice> same = List.of(
                new PriceList.ListedPrice("us-east-1", "ml.p3.2xlarge", new BigDecimal("3.8250")),
                new PriceList.ListedPrice("us-east-1", "ml.p4d.24xlarge", new BigDecimal("37.688")),
                new PriceList.ListedPrice("us-east-1", "ml.c5.xlarge", new BigDecimal("0.2"))); // not in the catalog
        assertTrue(PriceList.newVersion(book, same, known, today).isEmpty(), "3.8250 is 3.825: nothing changed");

        List<PriceList.ListedPrice> cut = List.of(
                new PriceList.ListedPrice("us-east-1", "ml.p3.2xlarge", new BigDecimal("3.825")),
                new PriceList.ListedPrice("us-east-1", "ml.p4d.24xlarge", new BigDecimal("25.2513")));
        PriceList.NewVersion v = PriceList.newVersion(book, cut, known, today).orElseThrow();
        assertEquals(List.of(new PriceList.Change("us-east-1", "ml.p4d.24xlarge", new BigDecimal("37.688"),
                new BigDecimal("25.2513"))), v.changes());
        assertEquals(today, v.version().effectiveFrom());
        assertTrue(v.version().version().startsWith("aws-2026-11-27-"));
        assertEquals(Map.of("ml.p3.2xlarge", new BigDecimal("3.825"), "ml.p4d.24xlarge", new BigDecimal("25.2513")),
                v.version().prices().get("us-east-1"));
        assertEquals(v.version().version(), PriceList.newVersion(book, cut, known, today).orElseThrow().version().version(),
                "the same prices on the same day name the same version");

        // Stored, the new version prices runs ending from today; the refresh after it finds nothing new.
        PriceBook refreshed = book.with(v.version());
        assertEquals(new BigDecimal("25.2513"), refreshed.priceAt("us-east-1", "ml.p4d.24xlarge",
                java.time.Instant.parse("2026-11-27T10:00:00Z")).orElseThrow().hourlyUsd());
        assertEquals("2021-study", refreshed.priceAt("us-east-1", "ml.p4d.24xlarge",
                java.time.Instant.parse("2026-11-26T10:00:00Z")).orElseThrow().version());
        assertTrue(PriceList.newVersion(refreshed, cut, known, today).isEmpty());
    }

    @Test
    void ofTwoVersionsEffectiveTheSameDayTheLaterWins() {
        LocalDate day = LocalDate.parse("2026-11-27");
        PriceBook book = PriceBook.fromClasspath()
                .with(new PriceBook.Version("a", day, Map.of("us-east-1", Map.of("ml.p3.2xlarge", new BigDecimal("3")))))
                .with(new PriceBook.Version("b", day, Map.of("us-east-1", Map.of("ml.p3.2xlarge", new BigDecimal("2")))));
        assertEquals("b", book.priceAt("us-east-1", "ml.p3.2xlarge", java.time.Instant.parse("2026-11-28T00:00:00Z"))
                .orElseThrow().version());
    }
}
