package io.sagebench.results.messaging;

import org.junit.jupiter.api.Test;

import java.net.SocketException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The retry loop; what counts as transient is TransientDatabaseFailuresTest's (platform). */
class TransientRetryTest {

    @Test
    void retriesADeadlockAndSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        String out = TransientRetry.call(() -> {
            if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("wrapped", new SQLException("Deadlock found", "40001", 1213));
            }
            return "stored";
        });
        assertEquals("stored", out);
        assertEquals(3, calls.get());
    }

    @Test
    void doesNotRetryABadRecordAndGivesUpOnEndlessDeadlocks() {
        AtomicInteger calls = new AtomicInteger();
        assertThrows(InvalidEventException.class, () -> TransientRetry.run(() -> {
            calls.incrementAndGet();
            throw new InvalidEventException("bad");
        }));
        assertEquals(1, calls.get());
        calls.set(0);
        long t0 = System.nanoTime();
        assertThrows(RuntimeException.class, () -> TransientRetry.call(() -> {
            calls.incrementAndGet();
            throw new RuntimeException(new SQLException("Lock wait timeout", "HY000", 1205));
        }, Duration.ofMillis(500)));
        assertTrue(calls.get() > 3, "retried " + calls.get() + " times");
        assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "gave up within about the budget");
    }

    @Test
    void retriesALostConnectionAndACommitThatFailedOnIt() {
        AtomicInteger calls = new AtomicInteger();
        String out = TransientRetry.call(() -> {
            switch (calls.incrementAndGet()) {
                case 1 -> throw new IllegalStateException("ARJUNA016053: Could not commit transaction.",
                        new RuntimeException("rollback", new SQLNonTransientConnectionException("Socket error")));
                case 2 -> throw new RuntimeException(new SQLException("Connection was killed", "70100", 1927));
                case 3 -> throw new RuntimeException(new SocketException("Connection reset"));
                case 4 -> throw new RuntimeException(new SQLException(
                        "Sorry, acquisition timeout!", (String) null));
                case 5 -> throw new RuntimeException(new SQLException("Could not connect", "08000", 0));
                default -> {
                    return "stored";
                }
            }
        }, Duration.ofSeconds(10));
        assertEquals("stored", out);
        assertEquals(6, calls.get());
    }
}
