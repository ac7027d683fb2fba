package io.sagebench.launcher.messaging;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;

final class RecordHeadersUtil {
    private RecordHeadersUtil() {
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** The event-id header, or topic-partition-offset for records typed by hand without one. */
    static String eventId(ConsumerRecord<?, ?> record) {
        String id = header(record, "event-id");
        return id != null && !id.isBlank() ? id
                : record.topic() + "-" + record.partition() + "-" + record.offset();
    }
}
