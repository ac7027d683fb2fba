package io.sagebench.emulator;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimiterTest {

    @Test
    void admitsABurstThenRefillsAtTheRate() throws Exception {
        RateLimiter limiter = new RateLimiter(10, 2);   // 10 per second: a token every 100 ms
        assertTrue(limiter.tryAcquire());
        assertTrue(limiter.tryAcquire());
        assertFalse(limiter.tryAcquire(), "burst used up");
        Thread.sleep(110);
        assertTrue(limiter.tryAcquire());
        assertFalse(limiter.tryAcquire());
    }

    @Test
    void aClientPacedAtExactlyTheLimitIsNotThrottledByJitter() throws Exception {
        RateLimiter limiter = new RateLimiter(10, 1);
        assertTrue(limiter.tryAcquire());
        Thread.sleep(97);   // 3 ms early, as network jitter would make it
        assertTrue(limiter.tryAcquire());
    }

    @Test
    void aNonPositiveRateSwitchesTheLimitOff() {
        RateLimiter limiter = new RateLimiter(0, 1);
        for (int i = 0; i < 100; i++) assertTrue(limiter.tryAcquire());
    }
}
