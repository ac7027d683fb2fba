package io.sagebench.launcher.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.sagebench.contracts.EventType;
import io.sagebench.launcher.app.LaunchIntake;
import io.sagebench.launcher.app.RunPlanReader;
import io.sagebench.launcher.app.RunSpans;
import io.sagebench.launcher.client.TrainingJobRequestFactory;
import io.sagebench.launcher.domain.InvalidEventException;
import io.sagebench.launcher.domain.RunPlan;
import io.sagebench.platform.inbox.TransientRetry;
import io.sagebench.platform.tracing.LogContext;
import io.smallrye.common.annotation.Blocking;

/**
 * bench.runs: RunPlanned (also any record without an event-type header) and RunCancelRequested. A record that cannot
 * be processed is thrown back to the connector, which dead-letters it to bench.dlq.launcher-service with the reason
 * and goes on with the next one.
 */
@ApplicationScoped
public class RunsConsumer {
    private static final Logger LOG = Logger.getLogger(RunsConsumer.class);
    private static final String RUN_PLANNED = EventType.RunPlanned.name();
    private static final String RUN_CANCEL_REQUESTED = EventType.RunCancelRequested.name();

    @Inject
    LaunchIntake intake;
    @Inject
    TrainingJobRequestFactory requests;
    @Inject
    ObjectMapper mapper;
    @Inject
    RunSpans spans;
    @Inject
    ConsumedRecords records;
    @Inject
    TransientRetry retry;

    @Incoming("runs")
    @Blocking
    public void onRecord(ConsumerRecord<String, String> record) throws Exception {
        String eventId = IncomingRecord.eventId(record);
        String header = IncomingRecord.eventType(record);
        String type = header == null || header.isBlank() ? RUN_PLANNED : header;
        // A span of the design's trace (the record's traceparent), so what the run publishes later continues it.
        Span span = spans.start("launcher " + type, SpanKind.CONSUMER, IncomingRecord.traceparent(record));
        records.observe(record.topic(), span, () -> {
            LogContext.of(null, record.key() == null ? "" : record.key());
            if (RUN_PLANNED.equals(type)) {
                return onRunPlanned(eventId, record.value(), span);
            }
            if (RUN_CANCEL_REQUESTED.equals(type)) {
                return onCancel(eventId, record.value());
            }
            LOG.debugf("ignoring %s on bench.runs", type);
            return retry.call(type + " " + eventId, () -> intake.skip(eventId, type));
        });
    }

    private boolean onRunPlanned(String eventId, String json, Span span) {
        RunPlan plan;
        String traceparent = RunSpans.continuing(null);
        try {
            plan = RunPlanReader.read(json);
            RunSpans.describe(span, plan.designId(), plan.runId(), plan.cellId(), null);
            LogContext.of(plan.designId(), plan.runId());
            var problems = requests.problems(plan);
            if (!problems.isEmpty()) {
                throw new InvalidEventException(problems, plan.runId(), plan.designId());
            }
        } catch (InvalidEventException e) {
            LOG.warnf("rejecting RunPlanned %s: %s", eventId, e.getMessage());
            retry.run("RunPlanned " + eventId, () -> intake.reject(eventId, e, traceparent));
            // Thrown back so the connector dead-letters the record with this reason.
            throw new IllegalArgumentException("invalid RunPlanned: " + e.getMessage(), e);
        }
        RunPlan accepted = plan;
        return retry.call("RunPlanned " + eventId, () -> intake.accept(eventId, accepted, json, traceparent));
    }

    private boolean onCancel(String eventId, String json) {
        JsonNode node;
        try {
            node = json == null ? null : mapper.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException("invalid RunCancelRequested: not JSON", e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("invalid RunCancelRequested: expected a JSON object");
        }
        String runId = Members.requiredText(node, "runId", RUN_CANCEL_REQUESTED);
        String designId = Members.requiredText(node, "designId", RUN_CANCEL_REQUESTED);
        LogContext.of(designId, runId);
        return retry.call("RunCancelRequested " + eventId, () -> intake.cancel(eventId, runId, designId));
    }
}
