package io.sagebench.results.messaging;

import io.sagebench.platform.db.LeakedTransactions;
import io.sagebench.platform.db.TransientDatabaseFailures;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Retries a transaction that failed for a reason of the service's own infrastructure, not of the record: a lost lock
 * race (deadlock, lock wait timeout) or a lost database connection (socket error, a connection killed or refused, the
 * server restarting, a commit that failed because of one of these, no connection to be had from the pool). Each retry
 * is a new transaction, with a doubling backoff capped at 2 s for up to {@link #BUDGET} (long enough to ride out a
 * database restart). Anything else is rethrown at once; a transient failure that outlasts the budget is rethrown too,
 * and the caller must then leave the record unacknowledged (see {@link TransientDatabaseFailures}), never dead-letter it.
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
                if (!TransientDatabaseFailures.isTransient(e)) {
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
}
