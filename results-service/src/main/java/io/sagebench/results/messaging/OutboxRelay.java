package io.sagebench.results.messaging;

import io.quarkus.scheduler.Scheduled;
import io.sagebench.results.repository.OutboxEntity;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
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

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int BATCH = 200;

    @Inject
    @Channel("outbox")
    MutinyEmitter<String> emitter;

    @Scheduled(every = "${sagebench.outbox.interval:0.2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduledRelay() {
        relay();
    }

    /** Sends what is pending now; also called right after a result is stored, so publishing does not wait a tick. */
    @Transactional
    public void relay() {
        List<OutboxEntity> rows = OutboxEntity.lockUnsent(BATCH);
        if (rows.isEmpty()) {
            return;
        }
        // Sent together, acknowledged together: the idempotent producer keeps their order per partition.
        List<Uni<Void>> sends = rows.stream().map(r -> emitter.sendMessage(message(r))).toList();
        try {
            Uni.join().all(sends).andFailFast().await().atMost(Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            LOG.warnf("outbox send failed, will retry: %s", e.toString());
            throw e; // roll back: nothing is marked sent
        }
        Instant now = Instant.now();
        rows.forEach(r -> r.sentAt = now);
        LOG.debugf("outbox sent %d records", rows.size());
    }

    static Message<String> message(OutboxEntity row) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("event-id", row.eventId.getBytes(StandardCharsets.UTF_8));
        headers.add("event-type", row.eventType.getBytes(StandardCharsets.UTF_8));
        headers.add("schema-version", "1".getBytes(StandardCharsets.UTF_8));
        return Message.of(row.payload).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(row.topic).withKey(row.messageKey).withHeaders(headers).build());
    }
}
