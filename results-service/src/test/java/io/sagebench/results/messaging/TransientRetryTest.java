package io.sagebench.results.messaging;

import io.sagebench.platform.inbox.IncomingRetryConfig;
import io.sagebench.platform.inbox.TransientRetry;
import org.junit.jupiter.api.Test;

import java.net.SocketException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The retry loop the results channels rely on (platform's TransientRetry, at its default backoff); what counts as
 * transient is TransientDatabaseFailuresTest's (platform).
 */
class TransientRetryTest {

    private static TransientRetry within(Duration budget) {
        return new TransientRetry(new IncomingRetryConfig() {
            @Override
            public Duration firstBackoff() {
                return Duration.ofMillis(50);
            }

            @Override
            public Duration maxBackoff() {
                return Duration.ofSeconds(2);
            }

            @Override
            public Duration budget() {
                return budget;
            }
        });
    }

    @Test
    void retriesADeadlockAndSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        String out = within(Duration.ofSeconds(60)).call("store", () -> {
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
        assertThrows(InvalidEventException.class, () -> within(Duration.ofSeconds(60)).run("store", () -> {
            calls.incrementAndGet();
            throw new InvalidEventException("bad");
        }));
        assertEquals(1, calls.get());
        calls.set(0);
        long t0 = System.nanoTime();
        assertThrows(RuntimeException.class, () -> within(Duration.ofMillis(500)).call("store", () -> {
            calls.incrementAndGet();
            throw new RuntimeException(new SQLException("Lock wait timeout", "HY000", 1205));
        }));
        assertTrue(calls.get() > 3, "retried " + calls.get() + " times");
        assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "gave up within about the budget");
    }

    @Test
    void retriesALostConnectionAndACommitThatFailedOnIt() {
        AtomicInteger calls = new AtomicInteger();
        String out = within(Duration.ofSeconds(10)).call("store", () -> {
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
        });
        assertEquals("stored", out);
        assertEquals(6, calls.get());
    }
}
