package io.sagebench.launcher.domain;

import java.time.Duration;

/**
 * How long a run waits before the launcher tries again. Deferrals (rate, quota, capacity) are unbounded, because they
 * are the account saying "not now", not the request being wrong; internal faults are retried a bounded number of times.
 */
public record RetryPolicy(Duration deferBase, Duration deferMax, Duration retryBase, Duration retryMax,
                          int maxInternalRetries) {

    public Duration deferDelay(int deferCount) {
        return exponential(deferBase, deferMax, deferCount);
    }

    public Duration retryDelay(int retryCount) {
        return exponential(retryBase, retryMax, retryCount);
    }

    public boolean mayRetry(int retriesSoFar) {
        return retriesSoFar < maxInternalRetries;
    }

    static Duration exponential(Duration base, Duration max, int n) {
        int shift = Math.max(0, Math.min(n - 1, 20));
        Duration d = base.multipliedBy(1L << shift);
        return d.compareTo(max) > 0 ? max : d;
    }
}
