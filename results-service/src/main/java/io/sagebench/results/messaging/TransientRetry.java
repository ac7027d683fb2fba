package io.sagebench.results.messaging;

import org.jboss.logging.Logger;

import java.io.EOFException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Retries a transaction that failed for a reason of the service's own infrastructure, not of the record: a lost lock
 * race (deadlock, lock wait timeout) or a lost database connection (socket error, a connection killed or refused, the
 * server restarting, a commit that failed because of one of these, no connection to be had from the pool). Each retry
 * is a new transaction, with a doubling backoff capped at 2 s for up to {@link #BUDGET} (long enough to ride out a
 * database restart). Anything else is rethrown at once; a transient failure that outlasts the budget is rethrown too,
 * and the caller must then leave the record unacknowledged (see {@link #isTransient}), never dead-letter it.
 */
final class TransientRetry {

    private static final Logger LOG = Logger.getLogger(TransientRetry.class);

    /** How long a transient failure is retried: {@code -Dsagebench.results.transient-retry-budget=PT60S}. */
    static final Duration BUDGET = Duration.parse(
            System.getProperty("sagebench.results.transient-retry-budget", "PT60S"));
    static final long FIRST_BACKOFF_MILLIS = 25;
    static final long MAX_BACKOFF_MILLIS = 2_000;

    private TransientRetry() {
    }

    static <T> T call(Supplier<T> transaction) {
        return call(transaction, BUDGET);
    }

    static <T> T call(Supplier<T> transaction, Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        long backoff = FIRST_BACKOFF_MILLIS;
        boolean outer = LeakedTransactions.present(); // called inside a transaction: never touch it
        for (int attempt = 1; ; attempt++) {
            if (!outer) {
                LeakedTransactions.discard(); // each attempt a new transaction, not a dead one left on the thread
            }
            try {
                return transaction.get();
            } catch (RuntimeException e) {
                if (!isTransient(e)) {
                    throw e;
                }
                long sleep = Math.min(MAX_BACKOFF_MILLIS, backoff) + (long) (Math.random() * backoff / 2);
                if (System.nanoTime() + sleep * 1_000_000 > deadline) {
                    LOG.warnf("attempt %d failed (%s); giving up after %s of retries", attempt, e.toString(), budget);
                    throw e;
                }
                if (attempt == 1 || attempt % 5 == 0) {
                    LOG.warnf("attempt %d failed (%s); retrying in %d ms", attempt, e.toString(), sleep);
                }
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
            }
        }
    }

    static void run(Runnable transaction) {
        call(() -> {
            transaction.run();
            return null;
        });
    }

    /** A failure of the infrastructure (database connection, lock race), anywhere in the cause chain. */
    static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String name = t.getClass().getSimpleName();
            if (t instanceof SQLTransientException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException || t instanceof SocketException
                    || t instanceof SocketTimeoutException || t instanceof EOFException
                    || name.equals("PessimisticLockException") || name.equals("LockTimeoutException")
                    || name.equals("LockAcquisitionException") || name.equals("JDBCConnectionException")) {
                return true;
            }
            if (t instanceof SQLException sql && isTransientSql(sql)) {
                return true;
            }
            String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            // Agroal: no connection within the acquisition timeout
            if (message.contains("acquisition timeout") || message.contains("unable to acquire")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTransientSql(SQLException sql) {
        int code = sql.getErrorCode();
        String state = sql.getSQLState() == null ? "" : sql.getSQLState();
        // MariaDB: 1213 deadlock, 1205 lock wait timeout; SQLSTATE 40001 serialization failure.
        // Connection: SQLSTATE class 08; 1927 connection killed, 1053 server shutdown, 2002/2003/2006/2013 lost or
        // refused connection, 1040 too many connections, 1317 query interrupted (KILL).
        return code == 1213 || code == 1205 || "40001".equals(state) || state.startsWith("08")
                || code == 1927 || code == 1053 || code == 2002 || code == 2003 || code == 2006 || code == 2013
                || code == 1040 || code == 1317 || "70100".equals(state);
    }
}
