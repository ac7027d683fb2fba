package io.sagebench.design.messaging;

import org.junit.jupiter.api.Test;

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
class RecordTriageTest {

    static final IncomingRecord RECORD = new IncomingRecord("bench.designs", 0, 7, "d-1", "{}", Map.of());

    final List<String> deadLettered = new ArrayList<>();

    RecordTriage triage(boolean shuttingDown, boolean databaseAvailable) {
        return new RecordTriage(3, Duration.ofMillis(1), Duration.ofMillis(300), () -> shuttingDown,
                () -> databaseAvailable,
                (record, reason) -> deadLettered.add(reason));
    }

    static Runnable failing(AtomicInteger calls, int failures, RuntimeException failure) {
        return () -> {
            if (calls.incrementAndGet() <= failures) {
                throw failure;
            }
        };
    }

    @Test
    void aTransientFailureIsRetriedAndNothingIsDeadLettered() {
        AtomicInteger calls = new AtomicInteger();
        RecordTriage triage = triage(false, true);
        triage.process(RECORD, failing(calls, 2, new IllegalStateException("Connection refused")));
        assertEquals(3, calls.get());
        assertEquals(2, triage.retries());
        assertTrue(deadLettered.isEmpty());
    }

    @Test
    void aLostConnectionIsRetriedBeyondTheAttemptsWithinTheTransientBudget() {
        AtomicInteger calls = new AtomicInteger();
        RecordTriage triage = triage(false, true);
        triage.process(RECORD, failing(calls, 6,
                new IllegalStateException("commit failed", new java.sql.SQLException("Socket error", "08000", 0))));
        assertEquals(7, calls.get(), "more than the 3 attempts a record's own failure gets");
        assertTrue(deadLettered.isEmpty());
    }

    @Test
    void aLostConnectionThatOutlastsTheBudgetIsNeverDeadLetteredEvenIfTheDatabaseSeemsUp() {
        AtomicInteger calls = new AtomicInteger();
        RuntimeException lost = new IllegalStateException(new java.sql.SQLException("Lost connection", "HY000", 2013));
        assertSame(lost, assertThrows(RuntimeException.class,
                () -> triage(false, true).process(RECORD, failing(calls, 9999, lost))));
        assertTrue(calls.get() > 3, "retried " + calls.get() + " times");
        assertTrue(deadLettered.isEmpty());
    }

    @Test
    void whileShuttingDownTheFailurePropagatesAtOnceSoTheRecordIsNotAcknowledged() {
        AtomicInteger calls = new AtomicInteger();
        IllegalStateException closed = new IllegalStateException("EntityManagerFactory is closed");
        RuntimeException thrown = assertThrows(RuntimeException.class,
                () -> triage(true, false).process(RECORD, failing(calls, 99, closed)));
        assertSame(closed, thrown);
        assertEquals(1, calls.get());
        assertTrue(deadLettered.isEmpty());
    }

    @Test
    void whenTheDatabaseStaysDownTheFailurePropagatesAfterTheAttempts() {
        AtomicInteger calls = new AtomicInteger();
        RuntimeException down = new RuntimeException("Could not open connection");
        assertSame(down, assertThrows(RuntimeException.class,
                () -> triage(false, false).process(RECORD, failing(calls, 99, down))));
        assertEquals(3, calls.get());
        assertTrue(deadLettered.isEmpty());
    }

    @Test
    void aRecordThatFailsAgainstAWorkingDatabaseIsDeadLetteredWithTheReason() {
        AtomicInteger calls = new AtomicInteger();
        triage(false, true).process(RECORD, failing(calls, 99,
                new RuntimeException("insert failed", new IllegalArgumentException("Data too long for column 'name'"))));
        assertEquals(3, calls.get());
        assertEquals(1, deadLettered.size());
        assertTrue(deadLettered.get(0).contains("Data too long"), deadLettered.get(0));
    }
}
