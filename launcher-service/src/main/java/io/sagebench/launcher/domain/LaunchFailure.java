package io.sagebench.launcher.domain;

/**
 * A classified CreateTrainingJob failure and what to do about it.
 *
 * @param failureClass null only for {@link Action#ALREADY_LAUNCHED}
 */
public record LaunchFailure(FailureClass failureClass, Action action, String errorCode, String message) {

    public enum Action {
        /** ResourceInUse on our own deterministic name: an earlier call got through; describe it and carry on. */
        ALREADY_LAUNCHED,
        /** The account says "not now" (rate, quota, capacity): wait and try the same attempt again, never fail. */
        DEFER,
        /** A transient fault on AWS's side or the network: retry the same attempt with backoff, a bounded number of times. */
        RETRY,
        /** The request itself is wrong: retrying cannot help, the run fails. */
        FAIL
    }

    public boolean retryable() {
        return action != Action.FAIL;
    }
}
