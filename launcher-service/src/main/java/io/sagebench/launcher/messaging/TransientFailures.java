package io.sagebench.launcher.messaging;

import java.io.EOFException;
import java.net.SocketException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * Tells a failure of the database from a failure of the record: a lost lock race (deadlock 1213, lock wait timeout
 * 1205, SQLSTATE 40001, the JPA/Hibernate lock exceptions) or a lost connection (SQLSTATE class 08, the JDBC connection
 * exceptions, a socket error, also when a transaction manager's RollbackException carries it) is worth retrying in a
 * new transaction; anything else is not.
 */
public final class TransientFailures {
    private static final Set<String> TRANSIENT_NAMES = Set.of("PessimisticLockException", "LockTimeoutException",
            "LockAcquisitionException", "PessimisticEntityLockException", "CannotAcquireLockException",
            "JDBCConnectionException", "QueryTimeoutException");

    private TransientFailures() {
    }

    public static boolean isTransient(Throwable e) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 50; t = t.getCause() == t ? null : t.getCause(), depth++) {
            if (t instanceof SQLTransientException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException || t instanceof SocketException
                    || t instanceof EOFException || TRANSIENT_NAMES.contains(t.getClass().getSimpleName())) {
                return true;
            }
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (sql.getErrorCode() == 1213 || sql.getErrorCode() == 1205 || "40001".equals(state)
                        || (state != null && state.startsWith("08"))
                    // Agroal: no pooled connection came free in time (the database is away or slow)
                    || String.valueOf(sql.getMessage()).contains("acquisition timeout")) {
                    return true;
                }
            }
            for (Throwable s : t.getSuppressed()) {
                if (s != t && isTransient(s)) {
                    return true;
                }
            }
        }
        return false;
    }
}
