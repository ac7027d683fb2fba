package io.sagebench.design.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.sagebench.design.app.DeadLettering;
import io.sagebench.design.app.DesignMetrics;
import io.sagebench.design.app.DesignRecords;
import io.sagebench.design.app.IncomingRecord;
import io.sagebench.platform.tracing.LogContext;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * bench.results (tolerant reader: only runId and status): a run with a result has finished, so a later cancel
 * leaves it alone. Setting a status is idempotent, so redelivery needs no processed-event record. Unparseable JSON,
 * and a record that is not an object or whose runId/status is missing or not a non-empty string, is dead-lettered
 * through the outbox with the reason; other failures go through {@link DeadLettering} like bench.designs.
 */
@ApplicationScoped
public class ResultsConsumer {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Inject
    DesignRecords records;
    @Inject
    DesignMetrics metrics;
    @Inject
    Tracer tracer;

    @Inject
    DeadLettering deadLettering;

    @Incoming("results")
    @Blocking
    public void onResult(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            return; // a tombstone on the compacted topic
        }
        IncomingRecord incoming = ConsumerSpans.incoming(record);
        AtomicReference<String> outcome = new AtomicReference<>("dead-lettered");
        Span span = ConsumerSpans.start(tracer, incoming);
        try (Scope ignored = span.makeCurrent(); LogContext log = LogContext.of(null, String.valueOf(incoming.key()))) {
            span.setAttribute("sagebench.run_id", String.valueOf(incoming.key()));
            deadLettering.process(incoming, () -> {
                JsonNode result;
                try {
                    result = MAPPER.readTree(record.value());
                } catch (JsonProcessingException e) {
                    records.deadLetter(incoming, "malformed JSON: " + e.getOriginalMessage());
                    outcome.set("dead-lettered");
                    return;
                }
                String problem = problem(result);
                if (problem != null) {
                    records.deadLetter(incoming, "RunResult is invalid: " + problem);
                    outcome.set("dead-lettered");
                    return;
                }
                records.runFinished(result.get("runId").asText(), result.get("status").asText());
                outcome.set("processed");
            });
        } finally {
            span.end();
        }
        metrics.eventConsumed(incoming.topic(), outcome.get());
    }

    /**
     * What makes a RunResult unusable (null: nothing): it must be a JSON object whose runId and status are non-empty
     * strings. An object or array where a string belongs is not read as an empty string: the record is dead-lettered
     * with the member named, not skipped as "not ours".
     */
    static String problem(JsonNode result) {
        if (result == null || !result.isObject()) {
            return "must be a JSON object";
        }
        for (String member : new String[] {"runId", "status"}) {
            JsonNode value = result.get(member);
            if (value == null || value.isNull()) {
                return "$." + member + " is missing";
            }
            if (!value.isTextual()) {
                return "$." + member + " must be a string, got " + value.getNodeType().name().toLowerCase(Locale.ROOT);
            }
            if (value.asText().isBlank()) {
                return "$." + member + " must not be empty";
            }
        }
        return null;
    }
}
