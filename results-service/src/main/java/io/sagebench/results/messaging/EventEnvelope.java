package io.sagebench.results.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebench.contracts.Headers;
import io.sagebench.platform.tracing.Traceparent;
import io.sagebench.results.app.Delivery;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;

/**
 * An incoming record: its id (header event-id, or topic-partition-offset when absent), its type (header event-type,
 * or the topic's main event when absent), its JSON body and its W3C traceparent header (null when absent).
 */
public record EventEnvelope(String topic, String eventId, String eventType, String key, JsonNode body,
                            String traceparent) {

    public EventEnvelope(String topic, String eventId, String eventType, String key, JsonNode body) {
        this(topic, eventId, eventType, key, body, null);
    }

    public static EventEnvelope read(ConsumerRecord<String, String> record, String mainEventType, ObjectMapper json) {
        String eventId = header(record, Headers.EVENT_ID);
        if (eventId == null || eventId.isBlank()) {
            eventId = record.topic() + "-" + record.partition() + "-" + record.offset();
        }
        String eventType = header(record, Headers.EVENT_TYPE);
        if (eventType == null || eventType.isBlank()) {
            eventType = mainEventType;
        }
        if (record.value() == null || record.value().isBlank()) {
            throw new InvalidEventException(eventType + " has no body");
        }
        JsonNode body;
        try {
            body = json.readTree(record.value());
        } catch (JsonProcessingException e) {
            throw new InvalidEventException(eventType + " is not JSON: " + e.getOriginalMessage());
        }
        if (body == null || !body.isObject()) {
            throw new InvalidEventException(eventType + " must be a JSON object");
        }
        return new EventEnvelope(record.topic(), eventId, eventType, record.key(), body,
                Traceparent.valid(header(record, Headers.TRACEPARENT)));
    }

    /** What the application needs to know of the record besides its payload. */
    public Delivery delivery() {
        return new Delivery(topic, eventId, traceparent);
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
