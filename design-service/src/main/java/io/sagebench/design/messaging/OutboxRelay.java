package io.sagebench.design.messaging;

import io.quarkus.scheduler.Scheduled;
import io.sagebench.design.repository.OutboxRepository;
import io.sagebench.design.repository.OutboxRepository.OutboxRecord;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.InvalidTransactionException;
import jakarta.transaction.SystemException;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.Transactional;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends outbox rows in id order and marks them sent only after Kafka acknowledged them. Rows are locked with
 * FOR UPDATE SKIP LOCKED so several replicas share the work without sending a row twice; a failed send stops the
 * batch there (rows after it are sent again later: consumers are idempotent by event-id).
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    static final int BATCH = 1000;
    static final int SEND_TIMEOUT_SECONDS = 30;

    @Inject
    OutboxRepository outbox;

    // room for a whole batch handed over before the first ack comes back
    @Inject
    @Channel("outbox")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 2 * BATCH)
    MutinyEmitter<String> emitter;

    @Inject
    org.eclipse.microprofile.context.ManagedExecutor executor;

    @Inject
    TransactionManager transactions;

    private final java.util.concurrent.atomic.AtomicBoolean draining = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicBoolean again = new java.util.concurrent.atomic.AtomicBoolean();

    // The scheduler is the safety net (it cannot tick faster than 1 s); a commit that wrote outbox rows starts a drain
    // at once, so a design's events do not wait for the next tick.
    @Scheduled(every = "${sagebench.outbox.interval:0.2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void relay() {
        drain();
    }

    void onCommit(@jakarta.enterprise.event.Observes(during = jakarta.enterprise.event.TransactionPhase.AFTER_SUCCESS)
                  OutboxRepository.OutboxWritten written) {
        try {
            executor.execute(this::drain);
        } catch (RuntimeException shuttingDown) {
            // the executor is closing: the rows are committed and the next start sends them
        }
    }

    /** One drain at a time, so rows go out in id order; a request during a drain makes it go round once more. */
    void drain() {
        again.set(true);
        while (again.getAndSet(false)) {
            if (!draining.compareAndSet(false, true)) {
                return; // the running drain sees `again` and goes round
            }
            try {
                // in batches (one transaction each) until nothing is left, so a 10,000-run design goes out at once
                while (relayBatch() == BATCH) {
                    // keep going
                }
            } finally {
                draining.set(false);
            }
        }
    }

    /**
     * Sends up to BATCH rows: all handed to the producer in id order (it keeps that order per partition, idempotence
     * on), then each awaited; rows are marked sent up to the first failure, so nothing is marked before its ack.
     *
     * @return rows sent (BATCH means there may be more)
     */
    @Transactional
    public int relayBatch() {
        List<OutboxRecord> rows = outbox.lockUnsent(BATCH);
        if (rows.isEmpty()) {
            return 0;
        }
        // The transaction is suspended (its row locks held) while sending and awaiting: context propagation would
        // otherwise carry it to the producer's callback thread, and the commit with that thread still inside it
        // fails after the records were sent, so they would be sent again.
        int acked;
        Transaction tx = suspend();
        try {
            acked = sendAndAwait(rows);
        } finally {
            resume(tx);
        }
        outbox.markSent(rows.subList(0, acked).stream().map(OutboxRecord::id).toList());
        return acked == rows.size() ? rows.size() : 0;
    }

    /** Hands every row over in id order, then awaits the acks in that order. @return rows acknowledged, from the first */
    private int sendAndAwait(List<OutboxRecord> rows) {
        List<CompletableFuture<Void>> acks = new ArrayList<>(rows.size());
        for (OutboxRecord r : rows) {
            acks.add(emitter.sendMessage(toMessage(r)).subscribeAsCompletionStage());
        }
        for (int i = 0; i < acks.size(); i++) {
            try {
                acks.get(i).get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return i;
            } catch (ExecutionException | TimeoutException e) {
                OutboxRecord r = rows.get(i);
                LOG.warnf("outbox row %d (%s to %s) not acknowledged, will retry: %s", r.id(), r.eventType(),
                        r.topic(), e.getCause() != null ? e.getCause().getMessage() : e.toString());
                return i;
            }
        }
        return acks.size();
    }

    private Transaction suspend() {
        try {
            return transactions.suspend();
        } catch (SystemException e) {
            throw new IllegalStateException("cannot suspend the outbox transaction", e);
        }
    }

    private void resume(Transaction tx) {
        try {
            transactions.resume(tx);
        } catch (InvalidTransactionException | SystemException e) {
            throw new IllegalStateException("cannot resume the outbox transaction", e);
        }
    }

    static Message<String> toMessage(OutboxRecord r) {
        RecordHeaders headers = new RecordHeaders();
        r.headers().forEach((k, v) -> headers.add(k, v.getBytes(StandardCharsets.UTF_8)));
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(r.topic()).withKey(r.key()).withHeaders(headers).build();
        // a record without a value (possible only on the dead-letter path) is sent as an empty string
        return Message.of(r.payload() == null ? "" : r.payload()).addMetadata(metadata);
    }
}
