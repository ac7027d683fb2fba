package io.sagebench.launcher.domain;

/** Where a run's launch stands; stored in the launch table and shown by GET /launches/{runId}. */
public enum LaunchState {
    /** Accepted, waiting for a rate slot (or a retry after an internal fault). */
    PENDING,
    /** Waiting for quota, throttling or capacity to clear; a RunDeferred was published. */
    DEFERRED,
    /** Admitted and CreateTrainingJob in flight; a stale LAUNCHING row is retried with the same job name. */
    LAUNCHING,
    /** The training job exists; RunLaunched was published. */
    LAUNCHED,
    /** StopTrainingJob requested (or to be sent); waiting for the job's terminal state. */
    STOPPING,
    /** The job reached a terminal state; its quota is released. */
    ENDED,
    /** The run could not be launched (validation, or internal faults beyond the retry budget). */
    FAILED,
    /** Cancelled before a job existed. */
    CANCELLED;

    public boolean waitingToLaunch() {
        return this == PENDING || this == DEFERRED;
    }
}
