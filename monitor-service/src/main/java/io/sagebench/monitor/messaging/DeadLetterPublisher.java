package io.sagebench.monitor.messaging;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletableFuture;

/**
 * Dead-letters an SQS message the monitor cannot read to bench.dlq.monitor-service (body as received, reason in the
 * `dead-letter-reason` header), awaiting Kafka's acknowledgement so the message is deleted only once it is safe there.
 * (Kafka records from bench.launches are dead-lettered by the connector's own dead-letter-queue strategy.)
 */
@ApplicationScoped
public class DeadLetterPublisher {

    private final MutinyEmitter<String> emitter;

    public DeadLetterPublisher(@Channel("dead-letters") MutinyEmitter<String> emitter) {
        this.emitter = emitter;
    }

    /** Starts the send; the future completes when Kafka acknowledged (only then may the SQS message be deleted). */
    public CompletableFuture<Void> deadLetter(String sqsMessageId, String body, String reason, String queueUrl) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(KafkaHeaders.DEAD_LETTER_REASON, KafkaHeaders.bytes(reason));
        headers.add("dead-letter-source", KafkaHeaders.bytes("sqs"));
        headers.add("dead-letter-queue-url", KafkaHeaders.bytes(queueUrl));
        if (sqsMessageId != null) {
            headers.add("sqs-message-id", KafkaHeaders.bytes(sqsMessageId));
        }
        return emitter.sendMessage(Message.of(body == null ? "" : body).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(sqsMessageId)
                .withHeaders(headers)
                .build())).subscribeAsCompletionStage();
    }
}
