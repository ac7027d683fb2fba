package io.sagebench.launcher.messaging;

import java.math.BigDecimal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.MDC;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.common.annotation.Blocking;

/**
 * bench.results: the billed cost of a finished run (RunResult.costUsd), which replaces its quotes in the daily
 * spending ceilings. Other event types are skipped; an unreadable RunResult is dead-lettered with the reason.
 */
@ApplicationScoped
public class ResultsConsumer {
    @Inject
    LaunchWorkflow workflow;
    @Inject
    ObjectMapper mapper;
    @Inject
    LauncherMetrics metrics;

    @Incoming("results")
    @Blocking
    public void onRecord(ConsumerRecord<String, String> record) {
        try {
            boolean applied = handle(record);
            metrics.consumed(record.topic(), applied ? "processed" : "duplicate");
        } catch (RuntimeException e) {
            metrics.consumed(record.topic(), "dead-lettered");
            throw e; // the connector dead-letters the record with this reason and goes on
        } finally {
            MDC.remove("runId");
        }
    }

    private boolean handle(ConsumerRecord<String, String> record) {
        String eventId = RecordHeadersUtil.eventId(record);
        String type = RecordHeadersUtil.header(record, "event-type");
        if (type != null && !type.isBlank() && !"RunResult".equals(type)) {
            return workflow.skip(eventId, type);
        }
        if (record.value() == null) {
            return workflow.skip(eventId, "RunResult"); // a compaction tombstone
        }
        JsonNode node;
        try {
            node = mapper.readTree(record.value());
        } catch (Exception e) {
            throw new IllegalArgumentException("invalid RunResult: not JSON", e);
        }
        String runId = node.path("runId").asText(null);
        JsonNode cost = node.path("costUsd");
        if (runId == null || !cost.isNumber() || cost.decimalValue().signum() < 0) {
            throw new IllegalArgumentException("invalid RunResult: runId and a non-negative costUsd are required");
        }
        MDC.put("runId", runId);
        return workflow.billed(eventId, runId, new BigDecimal(cost.asText()));
    }
}
