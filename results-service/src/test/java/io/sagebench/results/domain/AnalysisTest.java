package io.sagebench.results.domain;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnalysisTest {

    private static int seq = 0;

    static RunRecord run(String cell, String status, int size, String type, int count, int gpus, int batch,
                         long seconds, String cost, Double f1) {
        seq++;
        return new RunRecord("d-r" + seq, "d", cell, seq, 1, 1, "bench-d-r" + seq + "-a1", status, null, type, count,
                gpus / count, gpus, count > 1 ? "smdistributed" : "none", size, 32, batch, 5e-5, 100, 3.0, seconds,
                seconds, 1.0, (double) seconds, 1.0, 10.0, null, new BigDecimal("3.825"), "v", new BigDecimal(cost), f1,
                Map.of(), null);
    }

    @Test
    void statsHaveAStudentTConfidenceInterval() {
        Stats s = Stats.of(List.of(10.0, 12.0, 14.0));
        assertEquals(12.0, s.mean(), 1e-12);
        // sd = 2, t(0.975, 2) = 4.303: half width = 4.303 × 2 / √3
        assertEquals(12.0 - 4.303 * 2 / Math.sqrt(3), s.ciLow(), 1e-9);
        assertEquals(12.0 + 4.303 * 2 / Math.sqrt(3), s.ciHigh(), 1e-9);
        assertNull(Stats.of(List.of(5.0)).ciLow());
    }

    @Test
    void speedupEfficiencyCostAndF1AgainstTheSmallestCluster() {
        List<RunRecord> results = List.of(
                run("aaaaaaaaaaaa", "Completed", 100000, "ml.p3.2xlarge", 1, 1, 32, 8000, "8.5", 0.93),
                run("aaaaaaaaaaaa", "Completed", 100000, "ml.p3.2xlarge", 1, 1, 32, 8400, "8.9", 0.931),
                run("bbbbbbbbbbbb", "Completed", 100000, "ml.p3.16xlarge", 1, 8, 256, 1200, "9.4", 0.92),
                run("cccccccccccc", "Completed", 100000, "ml.p3.16xlarge", 4, 32, 1024, 600, "18.8", 0.90),
                run("dddddddddddd", "Failed", 100000, "ml.p3.16xlarge", 4, 32, 1024, 60, "1.8", null));
        Analysis a = Analysis.of("d", results);
        assertEquals(4, a.completedRuns());
        assertEquals(1, a.excludedRuns());
        assertEquals(3, a.cells().size());
        Analysis.Cell base = a.cells().get(0);
        assertEquals(2, base.replicates());
        assertEquals(8200.0, base.trainingSeconds().mean(), 1e-9);
        assertEquals(1.0, base.speedup(), 1e-12);
        Analysis.Cell eight = a.cells().get(1);
        assertEquals(8200.0 / 1200, eight.speedup(), 1e-9);
        assertEquals(8200.0 / 1200 / 8, eight.scalingEfficiency(), 1e-9);
        // (8200 - 1200) s = 1.9444 h saved for 9.4 - 8.7 = 0.7 extra USD
        assertEquals((7000 / 3600.0) / 0.7, eight.timeSavedPerExtraDollar(), 1e-9);
        assertEquals(0.92 - 0.9305, eight.f1DeltaVsSmallestBatch(), 1e-9);
        Analysis.Cell thirtyTwo = a.cells().get(2);
        assertEquals(8200.0 / 600 / 32, thirtyTwo.scalingEfficiency(), 1e-9);
        // Every cell trades something: fastest (32 GPUs), cheapest and most accurate (1 GPU), 8 GPUs in between.
        assertTrue(base.paretoOptimal());
        assertTrue(thirtyTwo.paretoOptimal());
        assertTrue(eight.paretoOptimal());
        assertEquals("aaaaaaaaaaaa", a.bySize().get(0).baselineCellId());
        assertEquals(List.of(32, 256, 1024), a.bySize().get(0).f1ByGlobalBatch().stream()
                .map(Analysis.F1Point::globalBatchSize).toList());
    }

    @Test
    void aCellThatIsSlowerDearerAndWorseIsOffTheFrontier() {
        Analysis a = Analysis.of("d", List.of(
                run("aaaaaaaaaaaa", "Completed", 1000, "ml.p3.2xlarge", 1, 1, 32, 1000, "1.0", 0.9),
                run("bbbbbbbbbbbb", "Completed", 1000, "ml.p3.8xlarge", 1, 4, 128, 1100, "2.0", 0.85)));
        assertTrue(a.cells().get(0).paretoOptimal());
        assertFalse(a.cells().get(1).paretoOptimal());
        assertEquals(List.of("aaaaaaaaaaaa"), a.bySize().get(0).paretoFrontier());
    }

    private List<RunRecord> ladder() {
        return List.of(
                run("aaaaaaaaaaaa", "Completed", 1000, "ml.p3.2xlarge", 1, 1, 32, 10000, "10", 0.93),
                run("bbbbbbbbbbbb", "Completed", 1000, "ml.p3.16xlarge", 1, 8, 256, 2000, "12", 0.925),
                run("cccccccccccc", "Completed", 1000, "ml.p3.16xlarge", 2, 16, 512, 1200, "16", 0.91),
                run("dddddddddddd", "Completed", 1000, "ml.p3.16xlarge", 4, 32, 1024, 1100, "30", 0.90));
    }

    @Test
    void diminishingReturnsWhereAStepSavesTooLittleTimePerDollar() {
        // 1→8 GPUs: 8000 s = 2.22 h for 2 USD (1.11 h/USD); 8→16: 800 s = 0.22 h for 4 USD (0.056 h/USD, under a
        // quarter of 1.11): the knee is the 8-GPU cell. With a 1% threshold 16 GPUs still pay; 16→32 saves 0.028 h
        // for 14 USD (0.002 h/USD, under 1% of 1.11): the knee moves to 16 GPUs.
        assertEquals("bbbbbbbbbbbb", Analysis.of("d", ladder()).bySize().get(0).diminishingReturnsCellId());
        assertEquals("cccccccccccc", Analysis.of("d", ladder(), 0.01).bySize().get(0).diminishingReturnsCellId());
    }

    @Test
    void recommendationsPickTheCheapestAndTheFastestWithinBounds() {
        Analysis a = Analysis.of("d", ladder());
        // 1 GPU is cheapest but takes 2.8 h; 16 and 32 GPUs miss the F1 bound.
        assertEquals("bbbbbbbbbbbb", a.cheapest(0.92, 1.0, null).orElseThrow().cellId());
        assertEquals("aaaaaaaaaaaa", a.cheapest(null, null, null).orElseThrow().cellId());
        assertEquals("cccccccccccc", a.fastest(20.0, null, null).orElseThrow().cellId());
        assertTrue(a.fastest(5.0, null, null).isEmpty());
        assertTrue(a.cheapest(0.99, null, null).isEmpty());
    }
}
