package io.sagebench.results.messaging;

import io.sagebench.contracts.Headers;
import io.sagebench.contracts.Topics;
import io.sagebench.results.app.ResultsMetrics;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Dead-letters one record of a batch to bench.dlq.results-service with the same headers the connector's
 * dead-letter-queue strategy writes (dead-letter-reason, -cause, -topic, -partition, -offset, -exception-class-name),
 * and the record's own headers. A batch channel cannot nack one record alone: the strategy would dead-letter the
 * whole batch, good records included.
 */
@ApplicationScoped
public class DeadLetters {

    @Inject
    ResultsMetrics metrics;
    @Inject
    @Channel("dead-letters")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
    MutinyEmitter<String> emitter;

    /** Sends and waits for the ack, so the record is not committed past before its dead letter is stored. */
    public void send(ConsumerRecord<String, String> record, Throwable reason) {
        metrics.consumed(record.topic(), "dead-lettered");
        RecordHeaders headers = new RecordHeaders();
        for (Header h : record.headers()) {
            headers.add(h.key(), h.value());
        }
        add(headers, Headers.DEAD_LETTER_EXCEPTION_CLASS_NAME, reason.getClass().getName());
        add(headers, Headers.DEAD_LETTER_REASON, reason.getMessage() != null ? reason.getMessage() : reason.toString());
        if (reason.getCause() != null) {
            add(headers, Headers.DEAD_LETTER_CAUSE_CLASS_NAME, reason.getCause().getClass().getName());
            add(headers, Headers.DEAD_LETTER_CAUSE, String.valueOf(reason.getCause().getMessage()));
        }
        add(headers, Headers.DEAD_LETTER_TOPIC, record.topic());
        add(headers, Headers.DEAD_LETTER_PARTITION, Integer.toString(record.partition()));
        add(headers, Headers.DEAD_LETTER_OFFSET, Long.toString(record.offset()));
        OutgoingKafkaRecordMetadata.OutgoingKafkaRecordMetadataBuilder<String> meta =
                OutgoingKafkaRecordMetadata.<String>builder().withTopic(Topics.DLQ_RESULTS_SERVICE).withHeaders(headers);
        if (record.key() != null) {
            meta.withKey(record.key());
        }
        // A record without a value is dead-lettered with an empty one (a message needs a payload).
        emitter.sendMessage(Message.of(record.value() == null ? "" : record.value()).addMetadata(meta.build()))
                .await().atMost(Duration.ofSeconds(30));
    }

    private static void add(RecordHeaders headers, String key, String value) {
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
