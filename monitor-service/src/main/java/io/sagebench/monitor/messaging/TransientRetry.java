package io.sagebench.monitor.messaging;

import io.sagebench.platform.db.TransientDatabaseFailures;

import java.util.function.Supplier;

/**
 * Retries a transaction that lost a lock race (deadlock, lock wait timeout) with the SQS poller or the reconciler on
 * the same job's row, or a connection (a few quick tries): the record is fine, so it must not be dead-lettered.
 * Anything else is rethrown at once.
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
                if (attempt >= ATTEMPTS || !TransientDatabaseFailures.isTransient(e)) {
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
}
