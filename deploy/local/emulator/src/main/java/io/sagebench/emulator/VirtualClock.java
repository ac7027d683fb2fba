package io.sagebench.emulator;

/** Simulated time: the real start instant plus real elapsed time × clock factor, in epoch milliseconds. */
final class VirtualClock {
    private final long startEpochMillis;
    private final long startNanos;
    private final double factor;

    VirtualClock(double factor) {
        this.startEpochMillis = System.currentTimeMillis();
        this.startNanos = System.nanoTime();
        this.factor = factor;
    }

    long nowMillis() {
        return startEpochMillis + (long) ((System.nanoTime() - startNanos) / 1e6 * factor);
    }

    double factor() {
        return factor;
    }
}
