package io.sagebench.design.messaging;

import java.util.Map;

/**
 * What design-service needs of a consumed record. The event id is the {@code event-id} header, or
 * topic-partition-offset when a record has none (e.g. typed into kafka-console-producer).
 */
public record IncomingRecord(String topic, int partition, long offset, String key, String value,
                             Map<String, String> headers) {

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
