package io.sagebench.contracts.catalog;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PriceBookTest {

    private static final String BOOK = """
            {"versions": [
              {"version": "v2021", "effectiveFrom": "2021-01-01",
               "prices": {"us-east-1": {"ml.p3.2xlarge": 3.825, "ml.p4d.24xlarge": 37.688, "ml.g5.12xlarge": 7.090}}},
              {"version": "v2025-06", "effectiveFrom": "2025-06-01",
               "prices": {"us-east-1": {"ml.p4d.24xlarge": 25.25}, "eu-west-1": {"ml.p3.2xlarge": 4.284}}}
            ]}""";

    private static PriceBook book() throws Exception {
        return PriceBook.parse(new ByteArrayInputStream(BOOK.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void picksTheNewestVersionEffectiveAtTheRunsEnd() throws Exception {
        PriceBook book = book();
        assertEquals(new PriceBook.Price("v2021", new BigDecimal("37.688")),
                book.priceAt("us-east-1", "ml.p4d.24xlarge", Instant.parse("2025-05-31T23:59:59Z")).orElseThrow());
        assertEquals(new PriceBook.Price("v2025-06", new BigDecimal("25.25")),
                book.priceAt("us-east-1", "ml.p4d.24xlarge", Instant.parse("2025-06-01T00:00:00Z")).orElseThrow());
        assertEquals(book.priceAt("us-east-1", "ml.p4d.24xlarge", Instant.parse("2025-06-01T00:00:00Z")),
                book.priceOn("us-east-1", "ml.p4d.24xlarge", LocalDate.parse("2025-06-01")));
    }

    @Test
    void fallsBackToAnOlderVersionWhenTheNewestDoesNotPriceTheType() throws Exception {
        assertEquals("v2021", book().priceAt("us-east-1", "ml.p3.2xlarge", Instant.parse("2026-01-01T00:00:00Z"))
                .orElseThrow().version());
    }

    @Test
    void regionMatters() throws Exception {
        assertEquals(new BigDecimal("4.284"),
                book().priceAt("eu-west-1", "ml.p3.2xlarge", Instant.parse("2026-01-01T00:00:00Z")).orElseThrow().hourlyUsd());
        assertTrue(book().priceAt("eu-west-1", "ml.p3.2xlarge", Instant.parse("2024-01-01T00:00:00Z")).isEmpty());
    }

    @Test
    void nothingBeforeTheFirstVersionOrForUnknownTypes() throws Exception {
        assertTrue(book().priceAt("us-east-1", "ml.p3.2xlarge", Instant.parse("2020-12-31T23:00:00Z")).isEmpty());
        assertTrue(book().priceAt("us-east-1", "ml.trn1.32xlarge", Instant.parse("2026-01-01T00:00:00Z")).isEmpty());
    }

    @Test
    void pricesKeepTheBooksExactDigits() throws Exception {
        assertEquals(new BigDecimal("7.090"), book().priceIn("v2021", "us-east-1", "ml.g5.12xlarge").orElseThrow().hourlyUsd());
        assertEquals(new BigDecimal("3.825"), book().priceIn("v2021", "us-east-1", "ml.p3.2xlarge").orElseThrow().hourlyUsd());
    }

    @Test
    void ofTwoVersionsEffectiveTheSameDayTheOneAddedLaterWins() throws Exception {
        LocalDate day = LocalDate.parse("2026-03-01");
        PriceBook book = book()
                .with(new PriceBook.Version("a", day, Map.of("us-east-1", Map.of("ml.p3.2xlarge", new BigDecimal("3")))))
                .with(new PriceBook.Version("b", day, Map.of("us-east-1", Map.of("ml.p3.2xlarge", new BigDecimal("2")))));
        assertEquals(new PriceBook.Price("b", new BigDecimal("2")), book.priceOn("us-east-1", "ml.p3.2xlarge", day).orElseThrow());
        assertEquals("b", book.versionOn(day).orElseThrow().version());
        assertEquals(new PriceBook.Price("a", new BigDecimal("3")), book.priceIn("a", "us-east-1", "ml.p3.2xlarge").orElseThrow());
        assertEquals("b", book.versions().get(0).version());
        assertEquals(4, book.versions().size());
    }

    @Test
    void versionOnIsTheNewestInEffectWhateverItPrices() throws Exception {
        PriceBook book = book();
        PriceBook.Version v = book.versionOn(LocalDate.parse("2026-01-01")).orElseThrow();
        assertEquals("v2025-06", v.version());
        assertEquals(Optional.empty(), v.hourlyPrice("us-east-1", "ml.p3.2xlarge"));
        assertEquals(Optional.of(25.25), v.hourlyPrice("us-east-1", "ml.p4d.24xlarge"));
        assertEquals("v2021", book.versionOn(LocalDate.parse("2025-05-31")).orElseThrow().version());
        assertTrue(book.versionOn(LocalDate.parse("2020-12-31")).isEmpty());
    }

    @Test
    void theWorstCaseIsEveryInstanceForTheWholeRuntimeRoundedUp() throws Exception {
        LocalDate day = LocalDate.parse("2024-01-01");
        assertEquals(new BigDecimal("150.7520"), book().worstCase("us-east-1", "ml.p4d.24xlarge", 2, 7200, day).orElseThrow());
        assertEquals(new BigDecimal("0.0011"), book().worstCase("us-east-1", "ml.p3.2xlarge", 1, 1, day).orElseThrow());
        assertTrue(book().worstCase("us-east-1", "ml.p5.48xlarge", 1, 3600, day).isEmpty());
    }

    @Test
    void hasVersionNamesTheBooksVersions() throws Exception {
        assertTrue(book().hasVersion("v2021"));
        assertTrue(!book().hasVersion("v1999"));
        assertTrue(book().priceIn("v1999", "us-east-1", "ml.p3.2xlarge").isEmpty());
    }

    @Test
    void aBookNeedsAVersionAndNumbers() {
        assertThrows(IllegalArgumentException.class, () -> PriceBook.parse(stream("{\"versions\":[]}")));
        assertThrows(IllegalArgumentException.class, () -> PriceBook.parse(stream("""
                {"versions":[{"version":"v","effectiveFrom":"2021-01-01","prices":{"us-east-1":{"ml.p3.2xlarge":"3.8"}}}]}""")));
    }

    @Test
    void theShippedBookPricesTheStudyWithItsVersion() {
        PriceBook.Price price = PriceBook.fromClasspath().priceAt("us-east-1", "ml.p3.16xlarge", Instant.now()).orElseThrow();
        assertEquals(new BigDecimal("28.152"), price.hourlyUsd());
        assertEquals("2021-study", price.version());
    }

    private static ByteArrayInputStream stream(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }
}
