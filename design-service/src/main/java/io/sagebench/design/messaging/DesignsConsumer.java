package io.sagebench.design.messaging;

import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.sagebench.design.app.DeadLettering;
import io.sagebench.design.app.DesignMetrics;
import io.sagebench.design.app.DesignRecords;
import io.sagebench.design.app.DesignSubmissions.Kind;
import io.sagebench.design.app.IncomingRecord;
import io.sagebench.design.app.RecordAuth;
import io.sagebench.platform.tracing.LogContext;
import io.smallrye.common.annotation.Blocking;

/** bench.designs → {@link DesignRecords#handle}, through {@link DeadLettering}. */
@ApplicationScoped
public class DesignsConsumer {

    @Inject
    DesignRecords records;
    @Inject
    RecordAuthenticator authenticator;
    @Inject
    DesignMetrics metrics;
    @Inject
    Tracer tracer;
    @Inject
    DeadLettering deadLettering;

    @Incoming("designs")
    @Blocking
    public void onRecord(ConsumerRecord<String, String> record) {
        IncomingRecord incoming = ConsumerSpans.incoming(record);
        RecordAuth auth = authenticator.authenticate(incoming);
        Span span = ConsumerSpans.start(tracer, incoming);
        AtomicReference<Kind> kind = new AtomicReference<>();
        String designId = incoming.key() != null && incoming.key().length() <= 64 ? incoming.key() : null;
        try (Scope ignored = span.makeCurrent(); LogContext log = LogContext.of(designId, null)) {
            if (designId != null) {
                span.setAttribute("sagebench.design_id", designId);
            }
            deadLettering.process(incoming, () -> kind.set(records.handle(incoming, auth)));
        } finally {
            span.end();
        }
        metrics.eventConsumed(incoming.topic(), outcome(kind.get()));
    }

    /** sagebench.events.consumed's outcome; a record that failed every attempt was dead-lettered. */
    static String outcome(Kind kind) {
        if (kind == null) {
            return "dead-lettered";
        }
        return switch (kind) {
            case ALREADY_PROCESSED, DUPLICATE -> "duplicate";
            case REJECTED, CONFLICT -> "dead-lettered";
            case ACCEPTED -> "processed";
        };
    }

    /** The key of the last record whose attempt failed and was retried (tests observe a failure). */
    public String lastRetriedKey() {
        return deadLettering.lastRetriedKey();
    }
}
