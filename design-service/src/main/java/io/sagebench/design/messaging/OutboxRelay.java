package io.sagebench.design.messaging;

import io.quarkus.scheduler.Scheduled;
import io.sagebench.design.repository.OutboxRepository;
import io.sagebench.design.repository.OutboxRepository.OutboxRecord;
import io.sagebench.platform.db.SuspendedTransaction;
import io.sagebench.platform.tracing.Traceparent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.Transactional;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends outbox rows in id order and marks them sent only after Kafka acknowledged them. Rows are locked with
 * FOR UPDATE SKIP LOCKED so several replicas share the work without sending a row twice; a failed send stops the
 * batch there (rows after it are sent again later: consumers are idempotent by event-id).
 *
 * <p>It sends through a plain {@link KafkaProducer} built from the application's {@code kafka.*} configuration (so the
 * sasl profile applies), not through a messaging channel: a batch is handed over record by record with no per-message
 * Mutiny, metadata or tracing machinery, then flushed once (docs/benchmarks.md has the figures). The stored
 * traceparent is sent as is, so consumers continue the design's trace.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Rows per transaction: a 10,000-run design goes out in three, each one SELECT, one flush, ten UPDATEs. */
    static final int BATCH = 4000;
    static final int SEND_TIMEOUT_SECONDS = 30;

    @Inject
    OutboxRepository outbox;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @Inject
    ManagedExecutor executor;

    @Inject
    TransactionManager transactions;

    // Quarkus' Kafka metrics binder observes this event for the clients SmallRye creates; ours is announced the same way
    @Inject
    Event<Producer<String, String>> producerCreated;

    private KafkaProducer<String, String> producer;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();

    @PostConstruct
    void start() {
        producer = new KafkaProducer<>(producerConfig(kafkaConfig), new StringSerializer(), new StringSerializer());
        producerCreated.fire(producer);
    }

    /** The application's kafka.* settings (bootstrap servers, SASL/TLS) with what the outbox's guarantees need. */
    static Map<String, Object> producerConfig(Map<String, Object> kafka) {
        Map<String, Object> config = new HashMap<>(kafka);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "design-service-outbox");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // a 10,000-run design is 10,000 records of ~1.3 kB: large batches keep the relay from waiting on round trips
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 262144);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4194304);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, SEND_TIMEOUT_SECONDS * 1000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        // consumer-only keys of the shared kafka.* block would only be warned about
        config.keySet().removeIf(k -> k.startsWith("group.") || k.startsWith("auto.") || k.contains("deserializer"));
        return config;
    }

    @PreDestroy
    void stop() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    // The scheduler is the safety net (it cannot tick faster than 1 s); a commit that wrote outbox rows starts a drain
    // at once, so a design's events do not wait for the next tick.
    @Scheduled(every = "${sagebench.outbox.interval:0.2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void relay() {
        drain();
    }

    void onCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS)
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
     * on), flushed, then each ack checked; rows are marked sent up to the first failure, so nothing is marked before
     * its ack.
     *
     * @return rows sent (BATCH means there may be more)
     */
    @Transactional
    public int relayBatch() {
        long start = System.nanoTime();
        List<OutboxRecord> rows = outbox.lockUnsent(BATCH);
        if (rows.isEmpty()) {
            return 0;
        }
        long read = System.nanoTime();
        // Sent and awaited with the transaction suspended (its row locks held); the commit follows the acks.
        int acked = SuspendedTransaction.during(transactions, () -> sendAndAwait(rows));
        long sent = System.nanoTime();
        outbox.markSent(rows.subList(0, acked).stream().map(OutboxRecord::id).toList());
        LOG.debugf("relayed %d of %d outbox rows: read %d ms, sent and acknowledged %d ms, marked %d ms", acked,
                rows.size(), (read - start) / 1_000_000, (sent - read) / 1_000_000, (System.nanoTime() - sent) / 1_000_000);
        return acked == rows.size() ? rows.size() : 0;
    }

    /** Hands every row over in id order, flushes, then checks the acks in that order. @return rows acknowledged */
    private int sendAndAwait(List<OutboxRecord> rows) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
        try {
            for (OutboxRecord r : rows) {
                acks.add(producer.send(toRecord(r)));
            }
        } catch (RuntimeException e) {
            LOG.warnf("outbox row %d not handed to Kafka, will retry: %s", rows.get(acks.size()).id(), e.toString());
        }
        producer.flush();
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



    static ProducerRecord<String, String> toRecord(OutboxRecord r) {
        RecordHeaders headers = new RecordHeaders();
        r.headers().forEach((k, v) -> {
            // a dead-lettered record's own traceparent is replaced by the stored one (the same trace, one hop on)
            if (r.traceparent() == null || !Traceparent.HEADER.equals(k)) {
                headers.add(k, v.getBytes(StandardCharsets.UTF_8));
            }
        });
        if (r.traceparent() != null) {
            headers.add(Traceparent.HEADER, r.traceparent().getBytes(StandardCharsets.UTF_8));
        }
        // a record without a value (possible only on the dead-letter path) is sent as an empty string
        return new ProducerRecord<>(r.topic(), null, r.key(), r.payload() == null ? "" : r.payload(), headers);
    }
}
