package io.sagebench.platform.inbox;

import java.net.SocketException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The retry loop; what counts as transient is TransientDatabaseFailuresTest's. */
class TransientRetryTest {

    private static TransientRetry within(Duration budget) {
        return new TransientRetry(new IncomingRetryConfig() {
            @Override
            public Duration firstBackoff() {
                return Duration.ofMillis(5);
            }

            @Override
            public Duration maxBackoff() {
                return Duration.ofMillis(50);
            }

            @Override
            public Duration budget() {
                return budget;
            }
        });
    }

    @Test
    void aDeadlockIsRetriedUntilTheTransactionGoesThrough() {
        AtomicInteger attempts = new AtomicInteger();
        TransientRetry retry = within(Duration.ofSeconds(10));
        String result = retry.call("learn", () -> {
            if (attempts.incrementAndGet() < 3) {
                throw new IllegalStateException("commit failed",
                        new SQLException("Deadlock found when trying to get lock", "40001", 1213));
            }
            return "learned";
        });
        assertEquals("learned", result);
        assertEquals(3, attempts.get());
        assertEquals(2, retry.retries());
    }

    @Test
    void aLostConnectionAndACommitThatFailedOnItAreRetried() {
        AtomicInteger calls = new AtomicInteger();
        String out = within(Duration.ofSeconds(10)).call("store", () -> {
            switch (calls.incrementAndGet()) {
                case 1 -> throw new IllegalStateException("ARJUNA016053: Could not commit transaction.",
                        new RuntimeException("rollback", new SQLNonTransientConnectionException("Socket error")));
                case 2 -> throw new RuntimeException(new SQLException("Connection was killed", "70100", 1927));
                case 3 -> throw new RuntimeException(new SocketException("Connection reset"));
                case 4 -> throw new RuntimeException(new SQLException("Could not connect", "08000", 0));
                case 5 -> throw new RuntimeException(new SQLException("Sorry, acquisition timeout!", (String) null));
                default -> {
                    return "stored";
                }
            }
        });
        assertEquals("stored", out);
        assertEquals(6, calls.get());
    }

    @Test
    void aBadRecordIsNotRetriedAndPassesThroughAsItself() {
        AtomicInteger attempts = new AtomicInteger();
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> within(Duration.ofSeconds(10)).run("learn", () -> {
                    attempts.incrementAndGet();
                    throw new IllegalArgumentException("RunLaunched has no trainingJobName");
                }));
        assertEquals(1, attempts.get());
        assertFalse(InfrastructureFailure.in(bad));
    }

    @Test
    void aDatabaseStillFailingAfterTheBudgetIsAnInfrastructureFailureNotABadRecord() {
        AtomicInteger attempts = new AtomicInteger();
        long t0 = System.nanoTime();
        InfrastructureFailure failure = assertThrows(InfrastructureFailure.class,
                () -> within(Duration.ofMillis(300)).run("learn", () -> {
                    attempts.incrementAndGet();
                    throw new IllegalStateException(new SQLException("Lock wait timeout exceeded", "HY000", 1205));
                }));
        assertTrue(attempts.get() > 3, "retried " + attempts.get() + " times");
        assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "gave up within about the budget");
        assertTrue(InfrastructureFailure.in(new RuntimeException("Error invoking subclass method", failure)));
    }
}
