package io.sagebench.platform.inbox;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

/**
 * The launcher's triage finds a database failure that outlasted the retries however the connector wraps it (what
 * counts as transient is TransientDatabaseFailuresTest's, in platform).
 */
class InfrastructureFailureTest {

    @Test
    void anInfrastructureFailureIsFoundWhereverTheConnectorWrapsIt() {
        InfrastructureFailure failure = new InfrastructureFailure("still failing", new SQLException("x", "08S01", 0));
        assertTrue(InfrastructureFailure.in(new RuntimeException("Error invoking subclass method", failure)));
        assertFalse(InfrastructureFailure.in(new IllegalArgumentException("invalid")));
    }
}
