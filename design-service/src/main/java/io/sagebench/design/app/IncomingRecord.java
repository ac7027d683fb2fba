package io.sagebench.design.app;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.sagebench.contracts.EventType;
import io.sagebench.contracts.Headers;

/**
 * What design-service needs of a consumed record. The event id is the {@code event-id} header, or
 * topic-partition-offset when a record has none (e.g. typed into kafka-console-producer). {@code valueBytes} is the
 * value's serialized size, so an oversized value is refused without looking into it.
 */
public record IncomingRecord(String topic, int partition, long offset, String key, String value,
                             Map<String, String> headers, int valueBytes) {

    public IncomingRecord(String topic, int partition, long offset, String key, String value,
                          Map<String, String> headers) {
        this(topic, partition, offset, key, value, headers,
                value == null ? 0 : value.getBytes(StandardCharsets.UTF_8).length);
    }

    public String eventId() {
        String id = headers.get(Headers.EVENT_ID);
        return id != null && !id.isBlank() ? id : topic + "-" + partition + "-" + offset;
    }

    /** The {@code event-type} header; a record without one is the topic's main event, DesignSubmitted. */
    public String eventType() {
        String type = headers.get(Headers.EVENT_TYPE);
        return type != null && !type.isBlank() ? type : "DesignSubmitted";
    }

    /** Where the record was read, for log lines. */
    public String where() {
        return topic + "-" + partition + "@" + offset;
    }
}
