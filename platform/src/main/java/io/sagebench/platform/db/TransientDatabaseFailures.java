package io.sagebench.platform.db;

import java.io.EOFException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Set;

/**
 * Tells a failure of the database from a failure of the record, for every service that retries a transaction: a lost
 * lock race or a lost connection is worth a new transaction (and, if it persists, leaving the record unacknowledged),
 * anything else is the record's and goes to the dead letters. JDK types only, so it needs no JPA or driver on the path;
 * Hibernate's and JPA's lock and connection exceptions are known by their simple names.
 */
public final class TransientDatabaseFailures {

    /** JPA and Hibernate exceptions that mean a lost lock race, a timeout, or a lost connection. */
    private static final Set<String> TRANSIENT_NAMES = Set.of("PessimisticLockException", "LockTimeoutException",
            "LockAcquisitionException", "PessimisticEntityLockException", "CannotAcquireLockException",
            "JDBCConnectionException", "QueryTimeoutException");

    /**
     * MariaDB error codes: 1213 deadlock, 1205 lock wait timeout, 1927 connection killed, 1053 server shutdown,
     * 2002/2003/2006/2013 connection refused or lost, 1040 too many connections, 1317 query interrupted (KILL).
     */
    private static final Set<Integer> TRANSIENT_CODES = Set.of(1213, 1205, 1927, 1053, 2002, 2003, 2006, 2013, 1040,
            1317);

    private TransientDatabaseFailures() {
    }

    /** A failure of the infrastructure anywhere in the cause chain (or among suppressed exceptions). */
    public static boolean isTransient(Throwable e) {
        return isTransient(e, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static boolean isTransient(Throwable e, Set<Throwable> seen) {
        for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof SilentRollbackException
                    || t instanceof SQLTransientException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException || t instanceof SocketException
                    || t instanceof SocketTimeoutException || t instanceof EOFException
                    || TRANSIENT_NAMES.contains(t.getClass().getSimpleName())) {
                return true;
            }
            if (t instanceof SQLException sql && isTransientSql(sql)) {
                return true;
            }
            String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            // Agroal: no pooled connection came free within the acquisition timeout (the database is away or slow)
            if (message.contains("acquisition timeout") || message.contains("unable to acquire")) {
                return true;
            }
            // A transaction manager's RollbackException may carry the connection failure only as suppressed.
            for (Throwable s : t.getSuppressed()) {
                if (isTransient(s, seen)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isTransientSql(SQLException sql) {
        String state = sql.getSQLState() == null ? "" : sql.getSQLState();
        // SQLSTATE 40001 serialization failure, class 08 connection exception, 70100 query interrupted
        return TRANSIENT_CODES.contains(sql.getErrorCode()) || "40001".equals(state) || state.startsWith("08")
                || "70100".equals(state);
    }
}
