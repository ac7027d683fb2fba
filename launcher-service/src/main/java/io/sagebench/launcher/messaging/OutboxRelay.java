package io.sagebench.launcher.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.Transactional;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.sagebench.contracts.Headers;
import io.sagebench.launcher.repository.OutboxEntity;
import io.sagebench.launcher.repository.OutboxRepository;
import io.sagebench.platform.db.SuspendedTransaction;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Sends outbox rows in id order and marks each sent only after Kafka acknowledged it (at least once; consumers dedupe
 * on event-id). SKIP LOCKED lets several replicas relay without sending the same row twice.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    static final int BATCH = 100;
    static final int SEND_TIMEOUT_SECONDS = 30;

    // room for a whole batch handed over before the first ack comes back
    @Inject
    @Channel("outbox")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 2 * BATCH)
    MutinyEmitter<String> emitter;

    @Inject
    OutboxRepository outbox;

    @Inject
    TransactionManager transactions;

    @Scheduled(every = "${sagebench.outbox.interval:0.2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    @Transactional
    void relay() {
        List<OutboxEntity> rows = outbox.lockUnsent(BATCH);
        if (rows.isEmpty()) {
            return;
        }
        // Sent and awaited with the transaction suspended (its row locks held); the commit follows the acks.
        int acked = SuspendedTransaction.during(transactions, () -> sendAndAwait(rows));
        // marked only up to the first failure: the rest stay unsent and go out on a later tick
        Instant now = Instant.now();
        for (int i = 0; i < acked; i++) {
            rows.get(i).sentAt = now;
        }
    }

    /**
     * Hands every row to the producer in id order (idempotence keeps that order per partition), then awaits the acks
     * in the same order. @return how many rows, from the first, were acknowledged
     */
    private int sendAndAwait(List<OutboxEntity> rows) {
        List<CompletableFuture<Void>> acks = new ArrayList<>(rows.size());
        for (OutboxEntity row : rows) {
            acks.add(emitter.sendMessage(message(row)).subscribeAsCompletionStage());
        }
        for (int i = 0; i < acks.size(); i++) {
            try {
                acks.get(i).get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return i;
            } catch (ExecutionException | TimeoutException e) {
                OutboxEntity row = rows.get(i);
                LOG.warnf("outbox row %d (%s to %s) not acknowledged, will retry: %s", row.id, row.eventType,
                        row.topic, e.getCause() != null ? e.getCause().getMessage() : e.toString());
                return i;
            }
        }
        return acks.size();
    }

    static Message<String> message(OutboxEntity row) {
        var headers = new RecordHeaders()
                .add(Headers.EVENT_ID, row.eventId.getBytes(StandardCharsets.UTF_8))
                .add(Headers.EVENT_TYPE, row.eventType.getBytes(StandardCharsets.UTF_8))
                .add(Headers.SCHEMA_VERSION, Headers.CURRENT_SCHEMA_VERSION.getBytes(StandardCharsets.UTF_8));
        if (row.traceparent != null) {
            // the trace of the event that caused this one; the channel's own tracing is off so it stays as stored
            headers.add(Headers.TRACEPARENT, row.traceparent.getBytes(StandardCharsets.UTF_8));
        }
        var metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(row.topic).withKey(row.key).withHeaders(headers).build();
        return Message.of(row.payload).addMetadata(metadata);
    }
}
