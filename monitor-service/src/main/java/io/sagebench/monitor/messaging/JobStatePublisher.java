package io.sagebench.monitor.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** Sends TrainingJobStateChanged to bench.job-states and returns only once Kafka acknowledged it (acks=all). */
@ApplicationScoped
public class JobStatePublisher {

    private final Emitter<String> emitter;
    private final ObjectMapper mapper;

    public JobStatePublisher(@Channel("job-states") Emitter<String> emitter, ObjectMapper mapper) {
        this.emitter = emitter;
        this.mapper = mapper;
    }

    /** @throws RuntimeException if Kafka did not acknowledge: the caller's transaction rolls back and the SQS message stays */
    public void publishAndAwait(TrainingJobStateChanged event, String eventId) {
        try {
            publish(event, eventId).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while awaiting Kafka's acknowledgement", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka did not acknowledge " + event.trainingJobName(), e.getCause());
        }
    }

    /**
     * Starts the send and returns at once; the future completes when Kafka acknowledged. Sends started one after the
     * other keep their order per key (one idempotent producer), so a job's states arrive in the order they were started.
     */
    public CompletableFuture<Void> publish(TrainingJobStateChanged event, String eventId) {
        // The plain message ack/nack, not a Mutiny Uni: a Uni carries the caller's context, JTA transaction included,
        // to the Kafka callback thread, and Narayana then refuses to commit "with 2 threads active".
        CompletableFuture<Void> acked = new CompletableFuture<>();
        emitter.send(message(event, eventId)
                .withAck(() -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    acked.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                }));
        return acked;
    }

    private Message<String> message(TrainingJobStateChanged event, String eventId) {
        String json;
        try {
            json = mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + event, e);
        }
        RecordHeaders headers = new RecordHeaders();
        headers.add(KafkaHeaders.EVENT_ID, KafkaHeaders.bytes(eventId));
        headers.add(KafkaHeaders.EVENT_TYPE, KafkaHeaders.bytes(TrainingJobStateChanged.EVENT_TYPE));
        headers.add(KafkaHeaders.SCHEMA_VERSION, KafkaHeaders.bytes("1"));
        return Message.of(json).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(event.trainingJobName())
                .withHeaders(headers)
                .build());
    }
}
