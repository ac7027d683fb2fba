package io.sagebench.launcher.app;

import software.amazon.awssdk.services.sagemaker.model.CreateTrainingJobRequest;

/** What the dispatcher must do next, decided by {@link Admission#claimNext()} under the row locks. */
public sealed interface Step {

    record Nothing() implements Step {
    }

    record RateBlocked() implements Step {
    }

    record Deferred(String runId) implements Step {
    }

    /**
     * Admitted: call at {@code slotAtMs} (database clock), i.e. not before {@code startNotBeforeNanos} on this JVM's
     * monotonic clock, so no replica's wall clock is involved.
     */
    record Launch(String runId, int attempt, CreateTrainingJobRequest request, long slotAtMs,
                  long startNotBeforeNanos, long inFlightMarkerMs, Run run) implements Step {
    }

    record Stop(String runId, String jobName, Run run) implements Step {
    }

    /** What the dispatcher needs to know about the run for its span, its log lines and its metrics. */
    record Run(String designId, String cellId, String traceparent, String instanceType, boolean spot) {
    }
}
