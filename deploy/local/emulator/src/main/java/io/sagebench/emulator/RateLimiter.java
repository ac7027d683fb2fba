package io.sagebench.emulator;

/**
 * A token bucket on real time (API rate limits are per real second, whatever the simulated clock does). A call that
 * finds the bucket within {@link #TOLERANCE} of a whole token is admitted (the bucket goes slightly negative), so a
 * client pacing itself at exactly the limit is not throttled by network jitter, while the long-run rate stays bounded.
 */
final class RateLimiter {
    static final double TOLERANCE = 0.05;

    private final double ratePerSecond;
    private final double capacity;
    private double tokens;
    private long lastNanos;

    RateLimiter(double ratePerSecond, int burst) {
        this.ratePerSecond = ratePerSecond;
        this.capacity = burst;
        this.tokens = burst;
        this.lastNanos = System.nanoTime();
    }

    synchronized boolean tryAcquire() {
        if (ratePerSecond <= 0) return true;
        long now = System.nanoTime();
        tokens = Math.min(capacity, tokens + (now - lastNanos) / 1e9 * ratePerSecond);
        lastNanos = now;
        if (tokens >= 1 - TOLERANCE) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
