package io.sagebench.results.domain;

import io.sagebench.contracts.catalog.PriceBook;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PriceBookTest {

    private static final String BOOK = """
            {"versions": [
              {"version": "v2021", "effectiveFrom": "2021-01-01",
               "prices": {"us-east-1": {"ml.p3.2xlarge": 3.825, "ml.p4d.24xlarge": 37.688}}},
              {"version": "v2025-06", "effectiveFrom": "2025-06-01",
               "prices": {"us-east-1": {"ml.p4d.24xlarge": 25.25}, "eu-west-1": {"ml.p3.2xlarge": 4.284}}}
            ]}""";

    private PriceBook book() throws Exception {
        return PriceBook.parse(new ByteArrayInputStream(BOOK.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void picksTheNewestVersionEffectiveAtTheRunsEnd() throws Exception {
        PriceBook book = book();
        assertEquals(new PriceBook.Price("v2021", new BigDecimal("37.688")),
                book.priceAt("us-east-1", "ml.p4d.24xlarge", Instant.parse("2025-05-31T23:59:59Z")).orElseThrow());
        assertEquals(new PriceBook.Price("v2025-06", new BigDecimal("25.25")),
                book.priceAt("us-east-1", "ml.p4d.24xlarge", Instant.parse("2025-06-01T00:00:00Z")).orElseThrow());
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
    void theShippedBookPricesTheStudyWithItsVersion() {
        PriceBook.Price price = PriceBook.fromClasspath()
                .priceAt("us-east-1", "ml.p3.16xlarge", Instant.now()).orElseThrow();
        assertEquals(new BigDecimal("28.152"), price.hourlyUsd());
        assertEquals("2021-study", price.version());
    }
}
