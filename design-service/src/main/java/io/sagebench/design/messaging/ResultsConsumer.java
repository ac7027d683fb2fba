package io.sagebench.design.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebench.design.config.DesignConfig;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.sagebench.design.domain.DesignMetrics;
import io.sagebench.design.domain.DesignService;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.MDC;

import java.util.concurrent.atomic.AtomicReference;

/**
 * bench.results (tolerant reader: only runId and status): a run with a result has finished, so a later cancel
 * leaves it alone. Setting a status is idempotent, so redelivery needs no processed-event record. Unparseable JSON
 * is dead-lettered through the outbox; other failures go through {@link RecordTriage} like bench.designs.
 */
@ApplicationScoped
public class ResultsConsumer {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Inject
    DesignService service;
    @Inject
    DesignConfig config;
    @Inject
    ShutdownSignal shutdown;
    @Inject
    DesignMetrics metrics;
    @Inject
    Tracer tracer;

    RecordTriage triage;

    @PostConstruct
    void init() {
        triage = new RecordTriage(config.consumerAttempts(), config.consumerRetryBackoff(), shutdown::shuttingDown,
                service::databaseAvailable, service::deadLetterUnprocessable);
    }

    @Incoming("results")
    @Blocking
    public void onResult(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            return; // a tombstone on the compacted topic
        }
        IncomingRecord incoming = DesignsConsumer.toIncoming(record);
        AtomicReference<String> outcome = new AtomicReference<>("dead-lettered");
        Span span = TraceContext.consumerSpan(tracer, incoming);
        try (Scope ignored = span.makeCurrent()) {
            span.setAttribute("sagebench.run_id", String.valueOf(incoming.key()));
            MDC.put("runId", String.valueOf(incoming.key()));
            triage.process(incoming, () -> {
                JsonNode result;
                try {
                    result = MAPPER.readTree(record.value());
                } catch (JsonProcessingException e) {
                    service.deadLetter(incoming, "malformed JSON: " + e.getOriginalMessage());
                    outcome.set("dead-lettered");
                    return;
                }
                service.runFinished(result.path("runId").asText(null), result.path("status").asText(null));
                outcome.set("processed");
            });
        } finally {
            span.end();
            MDC.remove("runId");
        }
        metrics.eventConsumed(incoming.topic(), outcome.get());
    }
}
