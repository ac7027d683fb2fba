package io.sagebench.results.messaging;

import io.sagebench.platform.db.LeakedTransactions;
import io.sagebench.platform.db.TransientDatabaseFailures;
import io.sagebench.platform.inbox.InfrastructureFailure;
import io.sagebench.platform.inbox.TransientRetry;
import io.sagebench.results.app.ResultsMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * What every channel does with a record besides applying it. A bad record is dead-lettered to
 * bench.dlq.results-service with the reason ({@link DeadLetters}) and the next record is processed. A failure of the
 * service's own infrastructure that outlasted platform's {@link TransientRetry} (or any failure while shutting down)
 * is rethrown: the channel's failure-strategy=fail stops it without acknowledging the record, so Kafka redelivers it
 * after the restart (liveness reports the stopped channel).
 */
@ApplicationScoped
public class IncomingRecords {

    private static final Logger LOG = Logger.getLogger(IncomingRecords.class);

    @Inject
    DeadLetters deadLetters;
    @Inject
    ResultsMetrics metrics;
    @Inject
    TransientRetry retry;

    /** Runs the handler of a single-record channel, dead-lettering the record if it is bad. */
    public void handle(ConsumerRecord<String, String> record, Runnable handler) {
        LeakedTransactions.discard(); // a handler runs outside any transaction
        try {
            handler.run();
        } catch (RuntimeException e) {
            if (leaveUnacknowledged(record, e)) {
                throw e;
            }
            deadLetter(record, e);
        }
    }

    public void deadLetter(ConsumerRecord<String, String> record, RuntimeException reason) {
        LOG.warnf("dead-lettering %s-%d@%d: %s", record.topic(), record.partition(), record.offset(),
                reason.getMessage());
        deadLetters.send(record, reason);
    }

    /** Whether {@code e} is the infrastructure's fault, not the record's: then the record must not be acknowledged. */
    public boolean leaveUnacknowledged(ConsumerRecord<String, String> record, RuntimeException e) {
        if (InfrastructureFailure.in(e) || retry.shuttingDown() || Thread.currentThread().isInterrupted()
                || TransientDatabaseFailures.isTransient(e)) {
            LOG.errorf(e, "%s-%d@%d failed for a reason of the infrastructure (%s): not acknowledged, Kafka "
                    + "redelivers it after the restart", record.topic(), record.partition(), record.offset(),
                    e.toString());
            return true;
        }
        return false;
    }

    /** Another service's event on a shared topic: consumed, nothing to do. */
    public void skip(EventEnvelope env) {
        LOG.debugf("skipping %s %s on %s", env.eventType(), env.eventId(), env.topic());
        metrics.consumed(env.topic(), "processed");
    }
}
