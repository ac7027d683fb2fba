package io.sagebench.design.messaging;

import io.quarkus.scheduler.Scheduled;
import io.sagebench.design.repository.OutboxRepository;
import io.sagebench.design.repository.OutboxRepository.OutboxRecord;
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

/**
 * Sends outbox rows in id order and marks each sent only after Kafka acknowledged it. Rows are locked with
 * FOR UPDATE SKIP LOCKED so several replicas share the work without sending a row twice; a failed send stops the
 * batch (keeping the order) and the rest is retried on the next tick.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    static final int BATCH = 200;

    @Inject
    OutboxRepository outbox;

    @Inject
    @Channel("outbox")
    MutinyEmitter<String> emitter;

    @Scheduled(every = "${sagebench.outbox.interval:0.2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void relay() {
        for (OutboxRecord r : outbox.lockUnsent(BATCH)) {
            try {
                emitter.sendMessageAndAwait(toMessage(r));
            } catch (RuntimeException e) {
                LOG.warnf("outbox row %d (%s to %s) not sent, will retry: %s", r.id(), r.eventType(), r.topic(),
                        e.getMessage());
                return;
            }
            outbox.markSent(r.id());
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
