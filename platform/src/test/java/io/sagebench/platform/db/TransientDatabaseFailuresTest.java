package io.sagebench.platform.db;

import static io.sagebench.platform.db.TransientDatabaseFailures.isTransient;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;

/** What every service retries (the database) and what it dead-letters (the record). */
class TransientDatabaseFailuresTest {

    // Stand-ins with the simple names of JPA's and Hibernate's exceptions, which are known by name (no JPA here).
    static class PessimisticLockException extends RuntimeException {
        PessimisticLockException(String m) {
            super(m);
        }
    }

    static class LockTimeoutException extends RuntimeException {
        LockTimeoutException(String m) {
            super(m);
        }
    }

    static class LockAcquisitionException extends RuntimeException {
        LockAcquisitionException(String m, Throwable cause) {
            super(m, cause);
        }
    }

    static class JDBCConnectionException extends RuntimeException {
        JDBCConnectionException(String m) {
            super(m);
        }
    }

    /** Like jakarta.transaction.RollbackException: checked, its cause set afterwards or carried as suppressed. */
    static class RollbackException extends Exception {
        RollbackException(String m) {
            super(m);
        }
    }

    @Test
    void lostLockRacesAreTransient() {
        assertTrue(isTransient(new IllegalStateException("flush",
                new SQLException("Deadlock found when trying to get lock", "40001", 1213))));
        assertTrue(isTransient(new SQLException("Lock wait timeout exceeded", "HY000", 1205)));
        assertTrue(isTransient(new SQLException("serialization failure", "40001", 0)));
        assertTrue(isTransient(new SQLTransactionRollbackException("rolled back")));
        assertTrue(isTransient(new LockAcquisitionException("lock", new SQLException("x"))));
        assertTrue(isTransient(new PessimisticLockException("lock")));
        assertTrue(isTransient(new LockTimeoutException("lock")));
    }

    @Test
    void lostConnectionsAreTransient() {
        assertTrue(isTransient(new SQLTransientConnectionException("acquisition timeout")));
        assertTrue(isTransient(new IllegalStateException(new SQLException("Sorry, acquisition timeout!"))));
        assertTrue(isTransient(new IllegalStateException("Unable to acquire JDBC Connection")));
        assertTrue(isTransient(new JDBCConnectionException("Unable to open")));
        assertTrue(isTransient(new SQLNonTransientConnectionException("Socket fail to connect")));
        assertTrue(isTransient(new SQLException("Communications link failure", "08S01", 0)));
        assertTrue(isTransient(new SQLException("Could not connect", "08000", 0)));
        assertTrue(isTransient(new RuntimeException(new SQLException("Connection was killed", "70100", 1927))));
        assertTrue(isTransient(new RuntimeException(new SQLException("Server shutdown in progress", "HY000", 1053))));
        assertTrue(isTransient(new RuntimeException(new SQLException("Lost connection", "HY000", 2013))));
        assertTrue(isTransient(new RuntimeException(new SQLException("Too many connections", "HY000", 1040))));
        assertTrue(isTransient(new RuntimeException(new SocketException("Connection reset"))));
        assertTrue(isTransient(new RuntimeException(new SocketTimeoutException("Read timed out"))));
        assertTrue(isTransient(new RuntimeException(new SilentRollbackException("RunLedger.recordLaunch"))));
    }

    @Test
    void aCommitThatFailedOnALostConnectionIsTransientHoweverItIsWrapped() {
        RollbackException commit = new RollbackException("ARJUNA016053: Could not commit transaction.");
        commit.initCause(new IllegalStateException(new SQLNonTransientConnectionException("Socket error")));
        // what the @Transactional interceptor's checked RollbackException reaches a handler as
        assertTrue(isTransient(new RuntimeException("Error invoking subclass method", commit)));
        RollbackException suppressed = new RollbackException("rolled back");
        suppressed.addSuppressed(new SQLException("Deadlock found", "40001", 1213));
        assertTrue(isTransient(suppressed));
    }

    @Test
    void badRecordsAreNotTransient() {
        assertFalse(isTransient(new IllegalArgumentException("invalid RunResult: runId is required")));
        assertFalse(isTransient(new IllegalStateException(
                new SQLException("Data too long for column 'design_id'", "22001", 1406))));
        assertFalse(isTransient(new IllegalStateException(
                new SQLIntegrityConstraintViolationException("Duplicate entry", "23000", 1062))));
        assertFalse(isTransient(new IllegalStateException(new SQLException("Duplicate entry", "23000", 1062))));
        assertFalse(isTransient(new RollbackException("marked rollback only")));
        assertFalse(isTransient(null));
    }

    @Test
    void aCauseChainThatLoopsEnds() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        a.addSuppressed(b);
        assertFalse(isTransient(a));
    }
}
