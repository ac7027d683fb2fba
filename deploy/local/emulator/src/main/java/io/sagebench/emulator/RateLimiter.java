package io.sagebench.emulator;

/** A token bucket on real time (API rate limits are per real second, whatever the simulated clock does). */
final class RateLimiter {
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
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
