package io.sagebench.design.messaging;

import io.sagebench.design.config.DesignConfig;
import io.sagebench.design.domain.DesignService;
import io.sagebench.platform.db.TransientDatabaseFailures;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * Tells a bad record from an infrastructure failure, so that a valid design is never dead-lettered because the
 * database was briefly away or the service was shutting down (e.g. "EntityManagerFactory is closed").
 * <p>
 * Bad designs are already rejected and dead-lettered by the service itself, through the outbox. What reaches here is
 * an unexpected exception. A transient database failure (a lost connection or lock race, {@link
 * TransientDatabaseFailures}) is retried with a doubling backoff, capped at 2 s, for up to the transient budget (long
 * enough to ride out a database restart), then propagates. Anything else is retried the configured number of
 * attempts; if it keeps failing:
 * <ul>
 *   <li>while shutting down, or while the database does not answer: the exception propagates. The channel's
 *   {@code failure-strategy=fail} then stops it without committing the offset, so Kafka redelivers the record after
 *   the restart (the health check reports the stopped channel);</li>
 *   <li>while the database works: the record itself is the problem (e.g. a value a column cannot hold), so it is
 *   dead-lettered through the outbox with the reason and the next record is processed.</li>
 * </ul>
 */
@Dependent
public class RecordTriage {

    private static final Logger LOG = Logger.getLogger(RecordTriage.class);

    static final long MAX_BACKOFF_MILLIS = 2_000;

    private final int attempts;
    private final Duration firstBackoff;
    private final Duration transientBudget;
    private final BooleanSupplier shuttingDown;
    private final BooleanSupplier databaseAvailable;
    private final BiConsumer<IncomingRecord, String> deadLetter;
    private final AtomicLong retries = new AtomicLong();
    private volatile String lastRetriedKey;

    /** One per consumer (a dependent bean), so each channel's retries are its own. */
    @Inject
    public RecordTriage(DesignConfig config, ShutdownSignal shutdown, DesignService service) {
        this(config.consumerAttempts(), config.consumerRetryBackoff(), config.consumerTransientBudget(),
                shutdown::shuttingDown, service::databaseAvailable, service::deadLetterUnprocessable);
    }

    public RecordTriage(int attempts, Duration firstBackoff, Duration transientBudget, BooleanSupplier shuttingDown,
                        BooleanSupplier databaseAvailable, BiConsumer<IncomingRecord, String> deadLetter) {
        this.attempts = Math.max(1, attempts);
        this.firstBackoff = firstBackoff;
        this.transientBudget = transientBudget;
        this.shuttingDown = shuttingDown;
        this.databaseAvailable = databaseAvailable;
        this.deadLetter = deadLetter;
    }

    /** Runs the handler; returns normally when the record was processed or dead-lettered, throws to stop the channel. */
    public void process(IncomingRecord record, Runnable handler) {
        long backoffMillis = firstBackoff.toMillis();
        long transientDeadline = System.nanoTime() + transientBudget.toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                handler.run();
                return;
            } catch (RuntimeException e) {
                String where = record.topic() + "-" + record.partition() + "@" + record.offset();
                if (shuttingDown.getAsBoolean()) {
                    LOG.warnf("shutting down while processing %s (%s): not acknowledged, Kafka redelivers it after the restart",
                            where, e.toString());
                    throw e;
                }
                if (TransientDatabaseFailures.isTransient(e)) {
                    if (System.nanoTime() + backoffMillis * 1_000_000 > transientDeadline) {
                        LOG.errorf(e, "%s still fails for a reason of the database after %s: stopping the channel "
                                + "without acknowledging it; Kafka redelivers it after the restart", where, transientBudget);
                        throw e;
                    }
                    retries.incrementAndGet();
                    lastRetriedKey = record.key();
                    if (attempt == 1 || attempt % 5 == 0) {
                        LOG.warnf("attempt %d at %s failed for a reason of the database (%s); retrying in %d ms",
                                attempt, where, e.toString(), backoffMillis);
                    }
                    sleep(backoffMillis, e);
                    backoffMillis = Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
                    continue;
                }
                if (attempt < attempts) {
                    retries.incrementAndGet();
                    lastRetriedKey = record.key();
                    LOG.warnf("attempt %d of %d at %s failed (%s); retrying in %d ms", attempt, attempts, where,
                            e.toString(), backoffMillis);
                    sleep(backoffMillis, e);
                    backoffMillis *= 2;
                    continue;
                }
                if (!databaseAvailable.getAsBoolean()) {
                    LOG.errorf(e, "%s still fails and the database does not answer: stopping the channel without "
                            + "acknowledging it; Kafka redelivers it after the restart", where);
                    throw e;
                }
                String reason = "unprocessable after " + attempts + " attempts: " + rootCause(e);
                LOG.errorf(e, "%s fails while the database works: dead-lettering it (%s)", where, reason);
                deadLetter.accept(record, reason);
                return;
            }
        }
    }

    /** Retries so far (for tests and logs). */
    public long retries() {
        return retries.get();
    }

    /** The key of the last record retried (for tests and logs). */
    public String lastRetriedKey() {
        return lastRetriedKey;
    }

    private static void sleep(long millis, RuntimeException cause) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw cause; // interrupted = stopping: leave the record unacknowledged
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
