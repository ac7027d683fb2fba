package io.sagebench.launcher.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(2), Duration.ofSeconds(60),
            Duration.ofSeconds(1), Duration.ofSeconds(30), 3);

    @Test
    void deferralsBackOffExponentiallyUpToTheCap() {
        assertEquals(Duration.ofSeconds(2), policy.deferDelay(1));
        assertEquals(Duration.ofSeconds(4), policy.deferDelay(2));
        assertEquals(Duration.ofSeconds(32), policy.deferDelay(5));
        assertEquals(Duration.ofSeconds(60), policy.deferDelay(6));
        assertEquals(Duration.ofSeconds(60), policy.deferDelay(1000));
    }

    @Test
    void internalRetriesAreBounded() {
        assertTrue(policy.mayRetry(0));
        assertTrue(policy.mayRetry(2));
        assertFalse(policy.mayRetry(3));
        assertEquals(Duration.ofSeconds(4), policy.retryDelay(3));
    }
}
