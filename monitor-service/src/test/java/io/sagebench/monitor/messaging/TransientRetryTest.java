package io.sagebench.monitor.messaging;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A lost lock race is retried; a bad record or any other failure is not (what counts as transient is
 * TransientDatabaseFailuresTest's, in platform).
 */
class TransientRetryTest {

    @Test
    void aDeadlockIsRetriedUntilTheTransactionGoesThrough() {
        AtomicInteger attempts = new AtomicInteger();
        String result = TransientRetry.call(() -> {
            if (attempts.incrementAndGet() < 3) {
                throw new IllegalStateException("commit failed",
                        new SQLException("Deadlock found when trying to get lock", "40001", 1213));
            }
            return "learned";
        });
        assertEquals("learned", result);
        assertEquals(3, attempts.get());
    }

    @Test
    void aPersistentLockTimeoutGivesUpAfterTheLastAttempt() {
        AtomicInteger attempts = new AtomicInteger();
        assertThrows(IllegalStateException.class, () -> TransientRetry.call(() -> {
            attempts.incrementAndGet();
            throw new IllegalStateException(new SQLException("Lock wait timeout exceeded", "HY000", 1205));
        }));
        assertEquals(TransientRetry.ATTEMPTS, attempts.get());
    }

    @Test
    void otherFailuresAreNotRetried() {
        AtomicInteger attempts = new AtomicInteger();
        assertThrows(IllegalArgumentException.class, () -> TransientRetry.call(() -> {
            attempts.incrementAndGet();
            throw new IllegalArgumentException("RunLaunched has no trainingJobName");
        }));
        assertEquals(1, attempts.get());
    }
}
