package io.sagebench.monitor.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebench.contracts.EventType;
import io.sagebench.contracts.Headers;
import io.sagebench.monitor.app.JobStateSender;
import io.sagebench.monitor.domain.JobStateChange;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * Sends TrainingJobStateChanged to bench.job-states, with the job's traceparent, and reports Kafka's acknowledgement
 * (acks=all).
 */
@ApplicationScoped
public class JobStatePublisher implements JobStateSender {

    private final Emitter<String> emitter;
    private final ObjectMapper mapper;

    public JobStatePublisher(@Channel("job-states") Emitter<String> emitter, ObjectMapper mapper) {
        this.emitter = emitter;
        this.mapper = mapper;
    }

    /**
     * Starts the send and returns at once; the future completes when Kafka acknowledged. Sends started one after the
     * other keep their order per key (one idempotent producer), so a job's states arrive in the order they were started.
     */
    @Override
    public CompletableFuture<Void> send(JobStateChange change, String eventId, String traceparent) {
        TrainingJobStateChanged event = TrainingJobStateChanged.of(change);
        // The plain message ack/nack, not a Mutiny Uni: a Uni carries the caller's context, JTA transaction included,
        // to the Kafka callback thread, and Narayana then refuses to commit "with 2 threads active".
        CompletableFuture<Void> acked = new CompletableFuture<>();
        emitter.send(message(event, eventId, traceparent)
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

    /** The traceparent is set here, not by the connector (tracing-enabled=false on the channel): it is the job's trace. */
    private Message<String> message(TrainingJobStateChanged event, String eventId, String traceparent) {
        String json;
        try {
            json = mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + event, e);
        }
        RecordHeaders headers = new RecordHeaders();
        headers.add(Headers.EVENT_ID, bytes(eventId));
        headers.add(Headers.EVENT_TYPE, bytes(EventType.TrainingJobStateChanged.name()));
        headers.add(Headers.SCHEMA_VERSION, bytes(Headers.CURRENT_SCHEMA_VERSION));
        if (traceparent != null) {
            headers.add(Headers.TRACEPARENT, bytes(traceparent));
        }
        return Message.of(json).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(event.trainingJobName())
                .withHeaders(headers)
                .build());
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
