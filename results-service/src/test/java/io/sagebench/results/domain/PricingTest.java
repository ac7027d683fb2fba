package io.sagebench.results.domain;

import io.sagebench.contracts.catalog.PriceBook;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PricingTest {

    private final PriceBook book = PriceBook.fromClasspath();
    private final Instant studyTime = Instant.parse("2021-06-01T12:00:00Z");

    @Test
    void priceBookHoldsTheStudysThreePrices() {
        assertEquals(new BigDecimal("3.825"), book.priceAt("us-east-1", "ml.p3.2xlarge", studyTime).orElseThrow().hourlyUsd());
        assertEquals(new BigDecimal("14.688"), book.priceAt("us-east-1", "ml.p3.8xlarge", studyTime).orElseThrow().hourlyUsd());
        assertEquals(new BigDecimal("28.152"), book.priceAt("us-east-1", "ml.p3.16xlarge", studyTime).orElseThrow().hourlyUsd());
    }

    @Test
    void costIsBillableHoursTimesPriceTimesInstanceCount() {
        // One hour on one p3.2xlarge costs its hourly price.
        assertEquals(0, new BigDecimal("3.825").compareTo(Pricing.cost(3600, new BigDecimal("3.825"), 1)));
        // Half an hour on four p3.16xlarge: 0.5 × 28.152 × 4.
        assertEquals(0, new BigDecimal("56.304").compareTo(Pricing.cost(1800, new BigDecimal("28.152"), 4)));
        // 1234 s on two p3.8xlarge: 1234 × 14.688 × 2 / 3600 = 10.06944 exactly.
        assertEquals(0, new BigDecimal("10.06944").compareTo(Pricing.cost(1234, new BigDecimal("14.688"), 2)));
        // 1000 s on one p3.2xlarge = 1.0625 exactly.
        assertEquals(0, new BigDecimal("1.0625").compareTo(Pricing.cost(1000, new BigDecimal("3.825"), 1)));
        assertEquals(0, BigDecimal.ZERO.compareTo(Pricing.cost(0, new BigDecimal("28.152"), 4)));
    }

    @Test
    void costMatchesTheFormulaInDoublesToTenDecimals() {
        long billable = 7777;
        double expected = billable / 3600.0 * 28.152 * 4;
        assertEquals(expected, Pricing.cost(billable, new BigDecimal("28.152"), 4).doubleValue(), 1e-9);
    }

    @Test
    void rejectsImpossibleInputs() {
        assertThrows(IllegalArgumentException.class, () -> Pricing.cost(-1, BigDecimal.ONE, 1));
        assertThrows(IllegalArgumentException.class, () -> Pricing.cost(1, BigDecimal.ONE, 0));
    }

    @Test
    void spotSavingsAreTheUnbilledShareOfTrainingTime() {
        assertEquals(80.0, Pricing.spotSavingsPercent(true, 500L, 100L), 1e-9);
        assertNull(Pricing.spotSavingsPercent(false, 500L, 100L));
        assertNull(Pricing.spotSavingsPercent(true, null, 100L));
    }
}
