package io.sagebench.results.messaging;

import io.quarkus.scheduler.Scheduled;
import io.sagebench.contracts.Headers;
import io.sagebench.platform.db.SuspendedTransaction;
import io.sagebench.results.app.RunFinisher;
import io.sagebench.results.repository.OutboxEntity;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Sends outbox rows in id order and marks them sent only after Kafka acknowledged them. Rows are locked
 * FOR UPDATE SKIP LOCKED, so several replicas share the work without sending a row twice at the same time; a crash
 * after the send and before the commit sends it again (consumers dedupe on event-id).
 */
@ApplicationScoped
public class OutboxRelay {

    /** One batch in one transaction (a separate bean, so the transaction interceptor applies). */
    @ApplicationScoped
    public static class OutboxBatch {

        // room for a whole batch handed over before the first ack comes back
        @Inject
        @Channel("outbox")
        @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 2 * BATCH)
        MutinyEmitter<String> emitter;

        @Inject
        TransactionManager transactions;



        /** Sends up to BATCH rows together and awaits every ack; marks them sent only then. @return rows sent */
        @Transactional
        public int relayBatch() {
            List<OutboxEntity> rows = OutboxEntity.lockUnsent(BATCH);
            if (rows.isEmpty()) {
                return 0;
            }
            // Sent and awaited with the transaction suspended (its row locks held); the commit follows the acks.
            SuspendedTransaction.during(transactions, () -> {
                try {
                    // Handed over in id order, acknowledged together: the idempotent producer keeps their order per
                    // partition.
                    List<Uni<Void>> sends = rows.stream().map(r -> emitter.sendMessage(message(r))).toList();
                    return Uni.join().all(sends).andFailFast().await().atMost(Duration.ofSeconds(30));
                } catch (RuntimeException e) {
                    LOG.warnf("outbox send failed, will retry: %s", e.toString());
                    throw e; // roll back (once resumed): nothing is marked sent
                }
            });
            OutboxEntity.markSent(rows.stream().map(r -> r.id).toList(), Instant.now());
            LOG.debugf("outbox sent %d records", rows.size());
            return rows.size();
        }
    }


    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    static final int BATCH = 500;

    @Inject
    OutboxBatch batch;

    @Scheduled(every = "${sagebench.outbox.interval:0.2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduledRelay() {
        relay();
    }

    /**
     * Sends what is pending now, a batch per transaction until none is left; also called right after results are
     * stored, so publishing does not wait a tick.
     */
    public void relay() {
        while (batch.relayBatch() == BATCH) {
            // a full batch: there may be more
        }
    }

    /** Results just stored are sent at once; a failure here is left to the scheduled relay. */
    void onResultsStored(@Observes RunFinisher.ResultsStored stored) {
        try {
            relay();
        } catch (RuntimeException e) {
            LOG.debugf("immediate relay failed, the scheduled one will retry: %s", e.toString());
        }
    }

    static Message<String> message(OutboxEntity row) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(Headers.EVENT_ID, row.eventId.getBytes(StandardCharsets.UTF_8));
        headers.add(Headers.EVENT_TYPE, row.eventType.getBytes(StandardCharsets.UTF_8));
        headers.add(Headers.SCHEMA_VERSION, Headers.CURRENT_SCHEMA_VERSION.getBytes(StandardCharsets.UTF_8));
        if (row.traceparent != null) {
            // The design's trace, stored with the row (the channel's own tracing is off, so it is not replaced).
            headers.add(Headers.TRACEPARENT, row.traceparent.getBytes(StandardCharsets.UTF_8));
        }
        return Message.of(row.payload).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(row.topic).withKey(row.messageKey).withHeaders(headers).build());
    }
}
