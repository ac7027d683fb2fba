package io.sagebench.monitor.messaging;

import io.sagebench.contracts.Headers;
import io.sagebench.monitor.app.DeadLetterSender;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * Dead-letters an SQS message the monitor cannot read to bench.dlq.monitor-service (body as received, reason in the
 * `dead-letter-reason` header), awaiting Kafka's acknowledgement so the message is deleted only once it is safe there.
 * (Kafka records from bench.launches are dead-lettered by platform's sagebench-triage failure strategy.)
 */
@ApplicationScoped
public class DeadLetterPublisher implements DeadLetterSender {

    private final MutinyEmitter<String> emitter;

    public DeadLetterPublisher(@Channel("dead-letters") MutinyEmitter<String> emitter) {
        this.emitter = emitter;
    }

    @Override
    public CompletableFuture<Void> deadLetter(String sqsMessageId, String body, String reason, String queueUrl) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(Headers.DEAD_LETTER_REASON, bytes(reason));
        headers.add(Headers.DEAD_LETTER_SOURCE, bytes("sqs"));
        headers.add(Headers.DEAD_LETTER_QUEUE_URL, bytes(queueUrl));
        if (sqsMessageId != null) {
            headers.add(Headers.SQS_MESSAGE_ID, bytes(sqsMessageId));
        }
        return emitter.sendMessage(Message.of(body == null ? "" : body).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(sqsMessageId)
                .withHeaders(headers)
                .build())).subscribeAsCompletionStage();
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
