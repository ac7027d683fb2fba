package io.sagebench.design.messaging;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.sagebench.design.domain.DesignMetrics;
import io.sagebench.design.domain.DesignService;
import io.sagebench.design.domain.Observed;
import io.sagebench.design.domain.RecordAuth;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * bench.designs → the design service. Bad designs and unparseable records are rejected and dead-lettered inside the
 * service's transaction (through the outbox). An unexpected failure goes to {@link RecordTriage}: retried, then
 * dead-lettered only if the database works; otherwise (or while shutting down) it propagates and the channel's
 * {@code failure-strategy=fail} stops without committing the offset, so the record is redelivered after a restart and
 * a valid design is never dead-lettered for an infrastructure failure.
 */
@ApplicationScoped
public class DesignsConsumer {

    @Inject
    DesignService service;
    @Inject
    RecordAuthenticator authenticator;
    @Inject
    DesignMetrics metrics;
    @Inject
    Tracer tracer;

    @Inject
    RecordTriage triage;

    @Incoming("designs")
    @Blocking
    public void onRecord(ConsumerRecord<String, String> record) {
        IncomingRecord incoming = toIncoming(record);
        RecordAuth auth = authenticator.authenticate(incoming);
        Span span = TraceContext.consumerSpan(tracer, incoming);
        AtomicReference<DesignService.Kind> kind = new AtomicReference<>();
        try (Scope ignored = span.makeCurrent()) {
            Observed.design(incoming.key() != null && incoming.key().length() <= 64 ? incoming.key() : null);
            triage.process(incoming, () -> kind.set(service.handle(incoming, auth)));
        } finally {
            span.end();
            Observed.clear();
        }
        metrics.eventConsumed(incoming.topic(), outcome(kind.get()));
    }

    /** sagebench.events.consumed's outcome; a record that failed every attempt was dead-lettered by the triage. */
    static String outcome(DesignService.Kind kind) {
        if (kind == null) {
            return "dead-lettered";
        }
        return switch (kind) {
            case ALREADY_PROCESSED, DUPLICATE -> "duplicate";
            case REJECTED, CONFLICT -> "dead-lettered";
            case ACCEPTED -> "processed";
        };
    }

    /** The key of the last record whose attempt failed and was retried (tests observe a transient failure). */
    public String lastRetriedKey() {
        return triage.lastRetriedKey();
    }

    static IncomingRecord toIncoming(ConsumerRecord<String, String> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header h : record.headers()) {
            headers.put(h.key(), h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
        }
        return new IncomingRecord(record.topic(), record.partition(), record.offset(), record.key(), record.value(),
                headers, Math.max(0, record.serializedValueSize()));
    }
}
