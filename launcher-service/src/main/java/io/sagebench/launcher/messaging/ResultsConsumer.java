package io.sagebench.launcher.messaging;

import java.math.BigDecimal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.opentelemetry.api.trace.Span;
import io.sagebench.contracts.EventType;
import io.sagebench.launcher.app.LaunchIntake;
import io.sagebench.platform.inbox.TransientRetry;
import io.sagebench.platform.tracing.LogContext;
import io.smallrye.common.annotation.Blocking;

/**
 * bench.results: the billed cost of a finished run (RunResult.costUsd), which replaces its quotes in the daily
 * spending ceilings. Other event types are skipped; an unreadable RunResult is dead-lettered with the reason.
 */
@ApplicationScoped
public class ResultsConsumer {
    private static final String RUN_RESULT = EventType.RunResult.name();

    @Inject
    LaunchIntake intake;
    @Inject
    ObjectMapper mapper;
    @Inject
    ConsumedRecords records;
    @Inject
    TransientRetry retry;

    @Incoming("results")
    @Blocking
    public void onRecord(ConsumerRecord<String, String> record) throws Exception {
        records.observe(record.topic(), Span.getInvalid(), () -> handle(record));
    }

    private boolean handle(ConsumerRecord<String, String> record) {
        String eventId = IncomingRecord.eventId(record);
        String type = IncomingRecord.eventType(record);
        if (type != null && !type.isBlank() && !RUN_RESULT.equals(type)) {
            return retry.call(type + " " + eventId, () -> intake.skip(eventId, type));
        }
        if (record.value() == null) {
            // a compaction tombstone
            return retry.call("RunResult " + eventId, () -> intake.skip(eventId, RUN_RESULT));
        }
        JsonNode node;
        try {
            node = mapper.readTree(record.value());
        } catch (Exception e) {
            throw new IllegalArgumentException("invalid RunResult: not JSON", e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("invalid RunResult: expected a JSON object");
        }
        String runId = Members.requiredText(node, "runId", RUN_RESULT);
        JsonNode cost = node.path("costUsd");
        if (!cost.isNumber() || cost.decimalValue().signum() < 0) {
            throw new IllegalArgumentException("invalid RunResult: costUsd must be a non-negative number, not "
                    + Members.kind(cost));
        }
        LogContext.of(null, runId);
        BigDecimal costUsd = new BigDecimal(cost.asText());
        return retry.call("RunResult " + eventId, () -> intake.billed(eventId, runId, costUsd));
    }
}
