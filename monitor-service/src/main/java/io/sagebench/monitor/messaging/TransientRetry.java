package io.sagebench.monitor.messaging;

import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.function.Supplier;

/**
 * Retries a transaction that lost a lock race (deadlock, lock wait timeout) with the SQS poller or the reconciler on
 * the same job's row: the record is fine, so it must not be dead-lettered. Anything else is rethrown at once.
 */
final class TransientRetry {

    static final int ATTEMPTS = 5;

    private TransientRetry() {
    }

    static <T> T call(Supplier<T> transaction) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.get();
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS || !isTransient(e)) {
                    throw e;
                }
                try {
                    Thread.sleep(20L * attempt + (long) (Math.random() * 30));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String name = t.getClass().getSimpleName();
            if (t instanceof SQLTransientException || name.equals("PessimisticLockException")
                    || name.equals("LockTimeoutException") || name.equals("LockAcquisitionException")) {
                return true;
            }
            // MariaDB: 1213 deadlock, 1205 lock wait timeout; SQLSTATE 40001 serialization failure.
            if (t instanceof SQLException sql && (sql.getErrorCode() == 1213 || sql.getErrorCode() == 1205
                    || "40001".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }
}
