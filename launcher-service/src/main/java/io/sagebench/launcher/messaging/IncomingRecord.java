package io.sagebench.launcher.messaging;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.sagebench.contracts.Headers;

/** The house headers of an incoming record (contracts Headers). */
final class IncomingRecord {
    private IncomingRecord() {
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** The event-id header, or topic-partition-offset for records typed by hand without one. */
    static String eventId(ConsumerRecord<?, ?> record) {
        String id = header(record, Headers.EVENT_ID);
        return id != null && !id.isBlank() ? id
                : record.topic() + "-" + record.partition() + "-" + record.offset();
    }

    static String eventType(ConsumerRecord<?, ?> record) {
        return header(record, Headers.EVENT_TYPE);
    }

    static String traceparent(ConsumerRecord<?, ?> record) {
        return header(record, Headers.TRACEPARENT);
    }
}
