package io.sagebench.launcher.messaging;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

import org.hibernate.exception.LockAcquisitionException;
import org.junit.jupiter.api.Test;

import jakarta.persistence.PersistenceException;
import jakarta.transaction.RollbackException;

/** What the launcher's incoming handlers retry (the database) and what they dead-letter (the record). */
class TransientFailuresTest {

    @Test
    void lostLockRacesAreTransient() {
        assertTrue(TransientFailures.isTransient(new PersistenceException("flush",
                new SQLException("Deadlock found when trying to get lock", "40001", 1213))));
        assertTrue(TransientFailures.isTransient(new SQLException("Lock wait timeout exceeded", "HY000", 1205)));
        assertTrue(TransientFailures.isTransient(new SQLException("serialization failure", "40001", 0)));
        assertTrue(TransientFailures.isTransient(new LockAcquisitionException("lock", new SQLException("x"))));
        assertTrue(TransientFailures.isTransient(new jakarta.persistence.PessimisticLockException("lock")));
        assertTrue(TransientFailures.isTransient(new jakarta.persistence.LockTimeoutException("lock")));
    }

    @Test
    void lostConnectionsAreTransientAlsoInsideACommitFailure() {
        assertTrue(TransientFailures.isTransient(new SQLTransientConnectionException("acquisition timeout")));
        assertTrue(TransientFailures.isTransient(new PersistenceException(new SQLException("Sorry, acquisition timeout!"))));
        assertTrue(TransientFailures.isTransient(new SQLNonTransientConnectionException("Socket fail to connect")));
        assertTrue(TransientFailures.isTransient(new SQLException("Communications link failure", "08S01", 0)));
        assertTrue(TransientFailures.isTransient(new RuntimeException(new SocketException("Connection reset"))));
        RollbackException commit = new RollbackException("ARJUNA016053: Could not commit transaction.");
        commit.initCause(new PersistenceException(new SQLNonTransientConnectionException("Socket error")));
        // what the @Transactional interceptor's checked RollbackException reaches the handler as
        assertTrue(TransientFailures.isTransient(new RuntimeException("Error invoking subclass method", commit)));
        RollbackException suppressed = new RollbackException("rolled back");
        suppressed.addSuppressed(new SQLException("Deadlock found", "40001", 1213));
        assertTrue(TransientFailures.isTransient(suppressed));
    }

    @Test
    void badRecordsAreNotTransient() {
        assertFalse(TransientFailures.isTransient(new IllegalArgumentException("invalid RunResult: runId is required")));
        assertFalse(TransientFailures.isTransient(new PersistenceException(
                new SQLException("Data too long for column 'design_id'", "22001", 1406))));
        assertFalse(TransientFailures.isTransient(new PersistenceException(
                new SQLIntegrityConstraintViolationException("Duplicate entry", "23000", 1062))));
        assertFalse(TransientFailures.isTransient(new RollbackException("marked rollback only")));
        assertFalse(TransientFailures.isTransient(null));
    }

    @Test
    void anInfrastructureFailureIsFoundWhereverTheConnectorWrapsIt() {
        InfrastructureFailure failure = new InfrastructureFailure("still failing", new SQLException("x", "08S01", 0));
        assertTrue(InfrastructureFailure.in(new RuntimeException("Error invoking subclass method", failure)));
        assertFalse(InfrastructureFailure.in(new IllegalArgumentException("invalid")));
    }
}
