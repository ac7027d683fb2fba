package io.sagebench.results.messaging;

import io.sagebench.results.domain.DesignSummary;
import io.sagebench.results.domain.JobDescription;
import io.sagebench.contracts.catalog.PriceBook;
import io.sagebench.results.domain.Progress;
import io.sagebench.results.domain.RunPlan;
import io.sagebench.results.domain.RunRecord;
import io.sagebench.results.domain.RunRecordCalculator;
import io.sagebench.results.domain.StatusTransition;
import io.sagebench.testkit.EventContract;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

class EventPayloadsTest {

    private final Instant end = Instant.parse("2026-01-01T01:00:00Z");

    private RunRecord record(String status, Map<String, Double> metrics) {
        RunPlan plan = new RunPlan("d-1-r001", "d-1", "0123456789ab", 1, 1, "distilbert-base-uncased", 66955010L,
                "amazon_polarity", 100000, "ml.p3.16xlarge", 2, 8, 16, "smdistributed", 32, 512, 5e-5, 5273, 30.0,
                2_700_000L, 30, false, "us-east-1");
        JobDescription job = new JobDescription("bench-d-1-r001-a1", status, status,
                "Failed".equals(status) ? "ClientError: ArchiveError" : null, 1000L, 1000L, end, end,
                List.of(new StatusTransition("Starting", end.minusSeconds(1000), end.minusSeconds(900)),
                        new StatusTransition("Training", end.minusSeconds(900), end)), metrics);
        return new RunRecordCalculator(PriceBook.fromClasspath()).compute(plan, job, 1, status, end);
    }

    @Test
    void runResultsMatchTheContract() {
        EventContract.assertValid("RunResult", EventPayloads.runResult(record("Completed", Map.of("eval_f1_score", 0.93))).toString());
        EventContract.assertValid("RunResult", EventPayloads.runResult(record("Failed", Map.of())).toString());
    }

    @Test
    void designCompletedMatchesTheContract() {
        RunRecord r = record("Completed", Map.of());
        Progress p = Progress.of("d-1", 1, List.of("d-1-r001"), List.of(), List.of(),
                List.of(new Progress.ResultFact("d-1-r001", "Completed")), List.of(), false);
        EventContract.assertValid("DesignCompleted",
                EventPayloads.designCompleted(DesignSummary.of(p, List.of(r), end)).toString());
    }
}
