package io.sagebench.launcher.messaging;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.sagebench.launcher.config.LauncherConfig;
import io.sagebench.platform.db.TransientDatabaseFailures;

/**
 * Runs one transaction of an incoming handler (a {@code @Transactional} call of {@link LaunchWorkflow}, so each try
 * is a new transaction) and retries it while the database fails transiently ({@link TransientDatabaseFailures}): exponential
 * backoff capped at {@code sagebench.launcher.incoming-retry.max-backoff}, for up to
 * {@code sagebench.launcher.incoming-retry.budget} in all, long enough to ride out a database restart. If it still
 * fails, or the service is shutting down, it throws {@link InfrastructureFailure}: the record is left unacknowledged
 * and Kafka redelivers it after the restart ({@link RecordTriage}). Other failures (a bad record) pass through at once.
 */
@ApplicationScoped
public class IncomingRetry {
    private static final Logger LOG = Logger.getLogger(IncomingRetry.class);

    @Inject
    LauncherConfig config;

    private final AtomicLong retries = new AtomicLong();
    private volatile boolean shuttingDown;

    void onShutdown(@Observes ShutdownEvent event) {
        shuttingDown = true;
    }

    public <T> T call(String what, Supplier<T> transaction) {
        Duration budget = config.incomingRetry().budget();
        long maxBackoffMs = Math.max(1, config.incomingRetry().maxBackoff().toMillis());
        long deadline = System.nanoTime() + budget.toNanos();
        long backoffMs = Math.max(1, config.incomingRetry().firstBackoff().toMillis());
        for (int attempt = 1; ; attempt++) {
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
                    LOG.errorf(e, "%s still fails after %d attempts in %s: not acknowledged, Kafka redelivers it "
                            + "after the restart", what, attempt, budget);
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
