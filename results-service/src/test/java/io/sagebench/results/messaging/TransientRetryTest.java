package io.sagebench.results.messaging;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
        assertThrows(RuntimeException.class, () -> TransientRetry.run(() -> {
            calls.incrementAndGet();
            throw new RuntimeException(new SQLException("Lock wait timeout", "HY000", 1205));
        }));
        assertEquals(TransientRetry.ATTEMPTS, calls.get());
    }
}
