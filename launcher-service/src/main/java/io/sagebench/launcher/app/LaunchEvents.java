package io.sagebench.launcher.app;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The events the launcher publishes on bench.launches (the contracts schemas); null fields are left out. */
public final class LaunchEvents {
    private LaunchEvents() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RunLaunched(String runId, String designId, String cellId, int attempt, String trainingJobName,
                              String trainingJobArn, String instanceType, Integer instanceCount, String launchedAt) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RunLaunchFailed(String runId, String designId, int attempt, String trainingJobName,
                                  String failureClass, String errorCode, String message, boolean retryable,
                                  String failedAt) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RunDeferred(String runId, String designId, String reason, String detail, Double retryAfterSeconds,
                              String deferredAt) {
    }

    /**
     * The launcher's verdict on an ended attempt: relaunch (nextAttempt follows) or this was the run's last. A second
     * verdict on the same attempt with {@code relaunchCalledOff} set withdraws an announced relaunch.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RunAttemptEnded(String runId, String designId, int attempt, String trainingJobName, String status,
                                  String failureReason, boolean relaunch, Integer nextAttempt, String endedAt,
                                  String relaunchCalledOff) {
        public static RunAttemptEnded relaunched(String runId, String designId, int attempt, String jobName,
                                                 String status, String failureReason, String endedAt) {
            return new RunAttemptEnded(runId, designId, attempt, jobName, status, failureReason, true, attempt + 1,
                    endedAt, null);
        }

        public static RunAttemptEnded last(String runId, String designId, int attempt, String jobName, String status,
                                           String failureReason, String endedAt) {
            return new RunAttemptEnded(runId, designId, attempt, jobName, status, failureReason, false, null, endedAt,
                    null);
        }

        /** Only a Failed job is ever relaunched, so the withdrawn attempt's job is a Failed one. */
        public static RunAttemptEnded relaunchCalledOff(String runId, String designId, int attempt, String jobName,
                                                        String why, String at) {
            return new RunAttemptEnded(runId, designId, attempt, jobName, "Failed", null, false, null, at, why);
        }
    }
}
