package io.sagebench.launcher.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.quarkus.scheduler.Scheduled;
import io.sagebench.launcher.repository.OutboxRepository;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Sends outbox rows in id order and marks each sent only after Kafka acknowledged it (at least once; consumers dedupe
 * on event-id). SKIP LOCKED lets several replicas relay without sending the same row twice.
 */
@ApplicationScoped
public class OutboxRelay {
    static final int BATCH = 100;

    @Inject
    @Channel("outbox")
    MutinyEmitter<String> emitter;

    @Inject
    OutboxRepository outbox;

    @Scheduled(every = "${sagebench.outbox.interval:0.2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = WhileRunning.class)
    @Transactional
    void relay() {
        for (var row : outbox.lockUnsent(BATCH)) {
            var headers = new RecordHeaders()
                    .add("event-id", row.eventId.getBytes(StandardCharsets.UTF_8))
                    .add("event-type", row.eventType.getBytes(StandardCharsets.UTF_8))
                    .add("schema-version", "1".getBytes(StandardCharsets.UTF_8));
            var metadata = OutgoingKafkaRecordMetadata.<String>builder()
                    .withTopic(row.topic).withKey(row.key).withHeaders(headers).build();
            emitter.sendMessageAndAwait(Message.of(row.payload).addMetadata(metadata));
            row.sentAt = Instant.now();
        }
    }
}
