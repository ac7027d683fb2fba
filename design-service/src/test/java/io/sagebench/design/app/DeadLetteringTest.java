package io.sagebench.design.app;

import org.junit.jupiter.api.Test;

import io.sagebench.platform.db.TransientDatabaseFailures;
import io.sagebench.platform.inbox.InfrastructureFailure;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An infrastructure failure is never dead-lettered: it is retried, or left unacknowledged for redelivery. */
class DeadLetteringTest {

    static final IncomingRecord RECORD = new IncomingRecord("bench.designs", 0, 7, "d-1", "{}", Map.of());

    final List<String> deadLettered = new ArrayList<>();

    /**
     * Stands in for the platform's TransientRetry (its own test covers the backoff): retries a transient database
     * failure within the budget, then throws InfrastructureFailure; anything else passes through.
     */
    static DeadLettering.Transactions transientRetry(Duration budget) {
        return (what, transaction) -> {
            long deadline = System.nanoTime() + budget.toNanos();
            while (true) {
                try {
                    transaction.run();
                    return;
                } catch (RuntimeException e) {
                    if (!TransientDatabaseFailures.isTransient(e)) {
                        throw e;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new InfrastructureFailure(what + ": the database still fails", e);
                    }
                }
            }
        };
    }

    DeadLettering deadLettering(boolean shuttingDown, boolean databaseAvailable) {
        return new DeadLettering(3, Duration.ofMillis(1), transientRetry(Duration.ofMillis(300)), () -> shuttingDown,
                () -> databaseAvailable, (record, reason) -> deadLettered.add(reason));
    }

    static Runnable failing(AtomicInteger calls, int failures, RuntimeException failure) {
        return () -> {
            if (calls.incrementAndGet() <= failures) {
                throw failure;
            }
        };
    }

    @Test
    void aFailureThatGoesAwayIsRetriedAndNothingIsDeadLettered() {
        AtomicInteger calls = new AtomicInteger();
        DeadLettering deadLettering = deadLettering(false, true);
        deadLettering.process(RECORD, failing(calls, 2, new IllegalStateException("Connection refused")));
        assertEquals(3, calls.get());
        assertEquals(2, deadLettering.retries());
        assertEquals("d-1", deadLettering.lastRetriedKey());
        assertTrue(deadLettered.isEmpty());
    }

    @Test
    void aLostConnectionIsRetriedBeyondTheAttemptsWithinTheTransientBudget() {
        AtomicInteger calls = new AtomicInteger();
        deadLettering(false, true).process(RECORD, failing(calls, 6,
                new IllegalStateException("commit failed", new SQLException("Socket error", "08000", 0))));
        assertEquals(7, calls.get(), "more than the 3 attempts a record's own failure gets");
        assertTrue(deadLettered.isEmpty());
    }

    @Test
    void aLostConnectionThatOutlastsTheBudgetIsNeverDeadLetteredEvenIfTheDatabaseSeemsUp() {
        AtomicInteger calls = new AtomicInteger();
        RuntimeException lost = new IllegalStateException(new SQLException("Lost connection", "HY000", 2013));
        InfrastructureFailure thrown = assertThrows(InfrastructureFailure.class,
                () -> deadLettering(false, true).process(RECORD, failing(calls, Integer.MAX_VALUE, lost)));
        assertSame(lost, thrown.getCause());
        assertTrue(calls.get() > 3, "retried " + calls.get() + " times");
        assertTrue(deadLettered.isEmpty());
    }

    @Test
    void whileShuttingDownTheFailurePropagatesAtOnceSoTheRecordIsNotAcknowledged() {
        AtomicInteger calls = new AtomicInteger();
        IllegalStateException closed = new IllegalStateException("EntityManagerFactory is closed");
        InfrastructureFailure thrown = assertThrows(InfrastructureFailure.class,
                () -> deadLettering(true, false).process(RECORD, failing(calls, 99, closed)));
        assertSame(closed, thrown.getCause());
        assertEquals(1, calls.get());
        assertTrue(deadLettered.isEmpty());
    }

    @Test
    void whenTheDatabaseStaysDownTheFailurePropagatesAfterTheAttempts() {
        AtomicInteger calls = new AtomicInteger();
        RuntimeException down = new RuntimeException("Could not open connection");
        InfrastructureFailure thrown = assertThrows(InfrastructureFailure.class,
                () -> deadLettering(false, false).process(RECORD, failing(calls, 99, down)));
        assertSame(down, thrown.getCause());
        assertEquals(3, calls.get());
        assertTrue(deadLettered.isEmpty());
    }

    @Test
    void aRecordThatFailsAgainstAWorkingDatabaseIsDeadLetteredWithTheReason() {
        AtomicInteger calls = new AtomicInteger();
        deadLettering(false, true).process(RECORD, failing(calls, 99,
                new RuntimeException("insert failed", new IllegalArgumentException("Data too long for column 'name'"))));
        assertEquals(3, calls.get());
        assertEquals(1, deadLettered.size());
        assertTrue(deadLettered.get(0).contains("Data too long"), deadLettered.get(0));
    }
}
