package io.sagebench.design.app;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.sagebench.design.config.DesignConfig;
import io.sagebench.platform.inbox.InfrastructureFailure;
import io.sagebench.platform.inbox.TransientRetry;

/**
 * Runs a consumed record's handler so that a valid record is never dead-lettered for a failure of the service's own
 * infrastructure. Bad designs are rejected and dead-lettered by the handler itself, through the outbox; what reaches
 * here is an unexpected exception:
 * <ul>
 *   <li>a transient database failure is retried by the platform's {@link TransientRetry}
 *   ({@code sagebench.incoming-retry.*}); past its budget, or while shutting down, it throws
 *   {@link InfrastructureFailure};</li>
 *   <li>anything else is tried {@code sagebench.design.consumer-attempts} times; if it keeps failing while the
 *   database does not answer (e.g. a table gone, which no classifier calls transient), that is an
 *   {@link InfrastructureFailure} too; while the database works, the record is the problem and is dead-lettered
 *   through the outbox with the reason.</li>
 * </ul>
 * An {@link InfrastructureFailure} propagates: the channel's {@code failure-strategy=fail} stops it without
 * committing the offset, so Kafka redelivers the record after the restart (the health check reports the channel).
 */
@Dependent
public class DeadLettering {

    private static final Logger LOG = Logger.getLogger(DeadLettering.class);

    /** How a handler's transaction is run: the platform's retry of transient database failures. */
    @FunctionalInterface
    public interface Transactions {
        void run(String what, Runnable transaction);
    }

    private final int attempts;
    private final Duration firstBackoff;
    private final Transactions transactions;
    private final BooleanSupplier shuttingDown;
    private final BooleanSupplier databaseAvailable;
    private final BiConsumer<IncomingRecord, String> deadLetter;
    private final AtomicLong retries = new AtomicLong();
    private volatile String lastRetriedKey;

    /** One per consumer (a dependent bean), so each channel's retries are its own. */
    @Inject
    public DeadLettering(DesignConfig config, TransientRetry retry, DesignRecords records) {
        this(config.consumerAttempts(), config.consumerRetryBackoff(), retry::run, retry::shuttingDown,
                records::databaseAvailable, records::deadLetterUnprocessable);
    }

    public DeadLettering(int attempts, Duration firstBackoff, Transactions transactions, BooleanSupplier shuttingDown,
                         BooleanSupplier databaseAvailable, BiConsumer<IncomingRecord, String> deadLetter) {
        this.attempts = Math.max(1, attempts);
        this.firstBackoff = firstBackoff;
        this.transactions = transactions;
        this.shuttingDown = shuttingDown;
        this.databaseAvailable = databaseAvailable;
        this.deadLetter = deadLetter;
    }

    /** Runs the handler; returns when the record was processed or dead-lettered, throws to stop the channel. */
    public void process(IncomingRecord record, Runnable handler) {
        String where = record.where();
        long backoffMillis = firstBackoff.toMillis();
        for (int attempt = 1; ; attempt++) {
            try {
                transactions.run(where, handler);
                return;
            } catch (InfrastructureFailure e) {
                throw e;
            } catch (RuntimeException e) {
                if (shuttingDown.getAsBoolean()) {
                    throw new InfrastructureFailure(where + " failed while shutting down; left for redelivery", e);
                }
                if (attempt < attempts) {
                    retries.incrementAndGet();
                    lastRetriedKey = record.key();
                    LOG.warnf("attempt %d of %d at %s failed (%s); retrying in %d ms", attempt, attempts, where,
                            e.toString(), backoffMillis);
                    sleep(backoffMillis, where, e);
                    backoffMillis *= 2;
                    continue;
                }
                if (!databaseAvailable.getAsBoolean()) {
                    LOG.errorf(e, "%s still fails and the database does not answer: left unacknowledged for "
                            + "redelivery", where);
                    throw new InfrastructureFailure(where + " still fails and the database does not answer", e);
                }
                String reason = "unprocessable after " + attempts + " attempts: " + rootCause(e);
                LOG.errorf(e, "%s fails while the database works: dead-lettering it (%s)", where, reason);
                deadLetter.accept(record, reason);
                return;
            }
        }
    }

    /** Retries of a failure that is not a transient database failure, so far (for tests and logs). */
    public long retries() {
        return retries.get();
    }

    /** The key of the last record retried (for tests and logs). */
    public String lastRetriedKey() {
        return lastRetriedKey;
    }

    private static void sleep(long millis, String where, RuntimeException cause) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new InfrastructureFailure(where + " interrupted while retrying; left for redelivery", cause);
        }
    }

    static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? e.toString() : e.getClass().getSimpleName() + " caused by " + root;
    }
}
