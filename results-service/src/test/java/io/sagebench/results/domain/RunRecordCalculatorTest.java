package io.sagebench.results.domain;

import io.sagebench.contracts.catalog.PriceBook;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RunRecordCalculatorTest {

    private final RunRecordCalculator calculator = new RunRecordCalculator(PriceBook.fromClasspath());
    private final Instant end = Instant.parse("2026-01-01T01:00:00Z");

    static RunPlan plan(String instanceType, int count, int gpusPerInstance, boolean spot) {
        return new RunPlan("d-1-r001", "d-1", "0123456789ab", 1, 1, "distilbert-base-uncased", 66955010L,
                "amazon_polarity", 100000, instanceType, count, gpusPerInstance, gpusPerInstance * count,
                count > 1 ? "smdistributed" : "none", 32, 32 * gpusPerInstance * count, 5e-5, 84375, 30.0, 2_700_000L,
                30, spot, "us-east-1");
    }

    private JobDescription job(String status, Long training, Long billable, Map<String, Double> metrics) {
        return new JobDescription("bench-d-1-r001-a1", status, status, "Failed".equals(status) ? "AlgorithmError: boom" : null,
                training, billable, end, end, List.of(
                new StatusTransition("Starting", end.minusSeconds(1000), end.minusSeconds(900)),
                new StatusTransition("Downloading", end.minusSeconds(900), end.minusSeconds(850)),
                new StatusTransition("Training", end.minusSeconds(850), end.minusSeconds(100)),
                new StatusTransition("Uploading", end.minusSeconds(100), end)), metrics);
    }

    @Test
    void pricesACompletedMultiInstanceRun() {
        RunRecord r = calculator.compute(plan("ml.p3.16xlarge", 4, 8, false),
                job("Completed", 1000L, 1000L, Map.of("eval_f1_score", 0.91, "eval_loss", 0.2)), 1, "Completed", end);
        assertEquals("Completed", r.status());
        assertEquals(new BigDecimal("28.152"), r.hourlyPriceUsd());
        assertEquals("2021-study", r.priceBookVersion());
        assertEquals(0, BigDecimal.valueOf(1000).multiply(new BigDecimal("28.152")).multiply(BigDecimal.valueOf(4))
                .divide(BigDecimal.valueOf(3600), 10, java.math.RoundingMode.HALF_UP).compareTo(r.costUsd()));
        assertEquals(0.91, r.f1());
        assertEquals(150.0, r.startupSeconds(), 1e-9);
        assertEquals(750.0, r.trainingPhaseSeconds(), 1e-9);
        assertEquals(2_700_000 / 750.0, r.samplesPerSecond(), 1e-9);
        assertEquals(32, r.totalGpus());
        assertEquals(1024, r.globalBatchSize());
        assertNull(r.spotSavingsPercent());
    }

    @Test
    void aFailedRunIsChargedForWhatWasBilledAndKeepsItsReason() {
        RunRecord r = calculator.compute(plan("ml.p3.2xlarge", 1, 1, false), job("Failed", 300L, 300L, Map.of()),
                1, "Failed", end);
        assertEquals("Failed", r.status());
        assertEquals("AlgorithmError: boom", r.failureReason());
        assertEquals(0, new BigDecimal("0.31875").compareTo(r.costUsd()));
        assertNull(r.f1());
        assertNull(r.samplesPerSecond());
    }

    @Test
    void aJobWithoutTimesCostsNothing() {
        RunRecord r = calculator.compute(plan("ml.p3.2xlarge", 1, 1, false), job("Failed", null, null, Map.of()),
                1, "Failed", end);
        assertEquals(0, r.billableSeconds());
        assertEquals(0, BigDecimal.ZERO.compareTo(r.costUsd()));
    }

    @Test
    void spotRunsReportTheirSavings() {
        RunRecord r = calculator.compute(plan("ml.p3.2xlarge", 1, 1, true), job("Completed", 1000L, 400L, Map.of()),
                1, "Completed", end);
        assertEquals(60.0, r.spotSavingsPercent(), 1e-9);
        assertEquals(0, new BigDecimal("0.425").compareTo(r.costUsd()));
    }

    @Test
    void anUnknownInstanceTypeCannotBePriced() {
        assertThrows(UnpricedRunException.class, () -> calculator.compute(plan("ml.x9.huge", 1, 1, false),
                job("Completed", 10L, 10L, Map.of()), 1, "Completed", end));
    }
}
