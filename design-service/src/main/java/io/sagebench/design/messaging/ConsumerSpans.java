package io.sagebench.design.messaging;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.sagebench.contracts.Headers;
import io.sagebench.design.app.IncomingRecord;
import io.sagebench.platform.tracing.Traceparent;

/** Reading a consumed Kafka record: its envelope, and the consumer span that continues the record's trace. */
final class ConsumerSpans {

    private ConsumerSpans() {
    }

    /** A consumer span for a record, child of the record's traceparent header when it has a valid one. */
    static Span start(Tracer tracer, IncomingRecord record) {
        return tracer.spanBuilder(record.topic() + " process")
                .setParent(Traceparent.parent(record.headers().get(Headers.TRACEPARENT)))
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.destination.name", record.topic())
                .setAttribute("messaging.kafka.message.offset", record.offset())
                .startSpan();
    }

    static IncomingRecord incoming(ConsumerRecord<String, String> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header h : record.headers()) {
            headers.put(h.key(), h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
        }
        return new IncomingRecord(record.topic(), record.partition(), record.offset(), record.key(), record.value(),
                headers, Math.max(0, record.serializedValueSize()));
    }
}
