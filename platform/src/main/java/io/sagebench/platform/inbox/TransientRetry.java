package io.sagebench.platform.inbox;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.sagebench.platform.db.LeakedTransactions;
import io.sagebench.platform.db.TransientDatabaseFailures;

/**
 * Runs one transaction of an incoming handler (a {@code @Transactional} call, so each try is a new transaction) and
 * retries it while the database fails transiently ({@link TransientDatabaseFailures}): exponential backoff within
 * {@link IncomingRetryConfig}'s budget. Past the budget, or while shutting down, it throws
 * {@link InfrastructureFailure}, so the record is left for redelivery rather than dead-lettered. Any other failure (a
 * bad record) passes through at once.
 */
@ApplicationScoped
public class TransientRetry {
    private static final Logger LOG = Logger.getLogger(TransientRetry.class);

    private final IncomingRetryConfig config;
    private final AtomicLong retries = new AtomicLong();
    private volatile boolean shuttingDown;

    @Inject
    public TransientRetry(IncomingRetryConfig config) {
        this.config = config;
    }

    void onShutdown(@Observes ShutdownEvent event) {
        shuttingDown = true;
    }

    /** Whether the service is shutting down: a failure now is never the record's fault. */
    public boolean shuttingDown() {
        return shuttingDown;
    }

    public <T> T call(String what, Supplier<T> transaction) {
        Duration budget = config.budget();
        long maxBackoffMs = Math.max(1, config.maxBackoff().toMillis());
        long deadline = System.nanoTime() + budget.toNanos();
        long backoffMs = Math.max(1, config.firstBackoff().toMillis());
        boolean outer = LeakedTransactions.present(); // called inside a transaction: never touch it
        for (int attempt = 1; ; attempt++) {
            if (!outer) {
                LeakedTransactions.discard(); // each try a new transaction, not a dead one left on the thread
            }
            try {
                return transaction.get();
            } catch (RuntimeException e) {
                if (shuttingDown) {
                    throw new InfrastructureFailure(what + " failed while shutting down; left for redelivery", e);
                }
                if (!TransientDatabaseFailures.isTransient(e)) {
                    throw e;
                }
                long leftMs = (deadline - System.nanoTime()) / 1_000_000L;
                if (leftMs <= 0) {
                    LOG.errorf(e, "%s still fails after %d attempts in %s: left unacknowledged for redelivery",
                            what, attempt, budget);
                    throw new InfrastructureFailure(what + ": the database still fails after " + attempt
                            + " attempts", e);
                }
                long sleepMs = Math.min(backoffMs, leftMs);
                retries.incrementAndGet();
                LOG.warnf("%s: attempt %d failed transiently (%s); retrying in a new transaction in %d ms", what,
                        attempt, e.toString(), sleepMs);
                try {
                    Thread.sleep(sleepMs);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new InfrastructureFailure(what + " interrupted while retrying; left for redelivery", e);
                }
                backoffMs = Math.min(backoffMs * 2, maxBackoffMs);
            }
        }
    }

    public void run(String what, Runnable transaction) {
        call(what, () -> {
            transaction.run();
            return null;
        });
    }

    /** Transient failures retried so far (for tests and logs). */
    public long retries() {
        return retries.get();
    }
}
