package io.sagebench.design.messaging;

import java.util.Map;

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
                value == null ? 0 : value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }

    public String eventId() {
        String id = headers.get("event-id");
        return id != null && !id.isBlank() ? id : topic + "-" + partition + "-" + offset;
    }

    /** The {@code event-type} header; a record without one is the topic's main event, DesignSubmitted. */
    public String eventType() {
        String type = headers.get("event-type");
        return type != null && !type.isBlank() ? type : "DesignSubmitted";
    }
}
