package io.sagebench.contracts.events;

import io.sagebench.contracts.EventType;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One realistic event of every type, built from the records with the values the producers' tests use (the seed study's
 * distilbert on amazon_polarity, priced with the 2021 book). Every optional part is filled, so a round trip covers all.
 */
public final class EventSamples {

    private static final Instant AT = Instant.parse("2026-01-01T01:00:00Z");
    private static final Model DISTILBERT = new Model("distilbert-base-uncased", 66_955_010L, 512);
    private static final PlannedCluster TWO_P3_16XL =
            new PlannedCluster("ml.p3.16xlarge", 2, 8, 16, Distribution.SMDISTRIBUTED);

    private EventSamples() {
    }

    public static Event of(EventType type) {
        return switch (type) {
            case DesignSubmitted -> designSubmitted();
            case DesignCancelRequested -> new DesignCancelRequested("study-it", "wrong dataset", "alice");
            case DesignAccepted -> new DesignAccepted("study-it", "alice", "the study", 2, 2021L,
                    new DesignAccepted.Quote(new BigDecimal("31.28"), 2000.0, new BigDecimal("2500"), "2021-study"),
                    List.of("study-it-r001", "study-it-r002"), AT);
            case DesignRejected -> new DesignRejected("study-it", List.of(
                    new DesignRejected.Violation("$.clusters[1].instanceType", "unknown instance type", "validation"),
                    new DesignRejected.Violation("$.hyperparameters.sagemaker_program", "reserved",
                            "reserved-hyperparameter")), AT);
            case DesignCancelled -> new DesignCancelled("study-it", List.of("study-it-r002"), AT);
            case DesignCompleted -> new DesignCompleted("study-it", 15, 13, 1, 1, new BigDecimal("412.730"), 52_340.0,
                    AT, 0, 2);
            case RunPlanned -> runPlanned();
            case RunCancelRequested -> new RunCancelRequested("study-it-r002", "study-it", "design cancelled");
            case RunLaunched -> new RunLaunched("study-it-r001", "study-it", "0123456789ab", 1,
                    "bench-study-it-r001-a1", "arn:aws:sagemaker:us-east-1:000000000000:training-job/bench-study-it-r001-a1",
                    "ml.p3.16xlarge", 2, AT);
            case RunLaunchFailed -> new RunLaunchFailed("study-it-r001", "study-it", 2, "bench-study-it-r001-a2",
                    RunLaunchFailed.FailureClass.INTERNAL, "InternalFailure", "We encountered an internal error.", false,
                    AT);
            case RunDeferred -> new RunDeferred("study-it-r003", "study-it", RunDeferred.Reason.DESIGNER_CEILING,
                    "alice has spent 480.00 of 500.00 USD today", 5.0, AT);
            case RunAttemptEnded -> new RunAttemptEnded("study-it-r001", "study-it", 1, "bench-study-it-r001-a1",
                    JobOutcome.FAILED, "CapacityError: x", false, null, AT, RunAttemptEnded.CalledOff.LAUNCH_FAILED);
            case TrainingJobStateChanged -> new TrainingJobStateChanged("bench-study-it-r001-a1",
                    "arn:aws:sagemaker:us-east-1:000000000000:training-job/bench-study-it-r001-a1", "study-it-r001",
                    "study-it", "0123456789ab", 1, TrainingJobStateChanged.Status.COMPLETED, "Completed", AT, null, true,
                    TrainingJobStateChanged.Source.RECONCILE, "5b3f0a2e-1c1d-4c55-9b0e-0f6a7b8c9d10");
            case RunResult -> runResult();
        };
    }

    private static DesignSubmitted designSubmitted() {
        Cluster one = new Cluster("ml.p3.2xlarge", 1, Distribution.NONE);
        Cluster four = new Cluster("ml.p3.16xlarge", 4, Distribution.SMDISTRIBUTED);
        return new DesignSubmitted("study-it", "distilbert on amazon_polarity", "alice", DISTILBERT,
                new DesignSubmitted.Dataset("amazon_polarity", List.of(100_000L, 600_000L), 0.9, 42L),
                List.of(one, four), List.of(32), List.of(5e-5),
                new DesignSubmitted.LearningRateScaling(DesignSubmitted.LearningRateScaling.Rule.LINEAR, 256),
                new DesignSubmitted.Schedule(2_700_000L, null),
                List.of(new DesignSubmitted.Cell(four, 1_000_000L, 16, 1e-4)),
                1, 2021L, false, "us-east-1", new BigDecimal("2500"), Map.of("fp16", "false"), true, false, false);
    }

    private static RunPlanned runPlanned() {
        return new RunPlanned("study-it-r001", "study-it", "alice", "0123456789ab", 1, 1, DISTILBERT,
                new RunPlanned.Dataset("amazon_polarity", 100_000L, 0.9, 42L), TWO_P3_16XL, 32, 512, 5e-5, 5273L, 30.0,
                2_700_000L, 30, 86_400, true, 172_800L, "us-east-1", Map.of("fp16", "false"),
                new RunPlanned.Quote(1000.0, new BigDecimal("15.64"), new BigDecimal("28.152"), "2021-study"));
    }

    private static RunResult runResult() {
        return new RunResult("study-it-r001", "study-it", "0123456789ab", 1, 2, "bench-study-it-r001-a2",
                JobOutcome.COMPLETED, null, TWO_P3_16XL, 100_000L, 32, 512, 5e-5, 5273L, 30.0, 1000L, 1000L, 100.0,
                2700.0, new BigDecimal("28.152"), "2021-study", new BigDecimal("23.460"), 2, 500L,
                new BigDecimal("7.820"), 0.93, Map.of("eval_f1_score", 0.93, "eval_loss", 0.21), AT);
    }
}
