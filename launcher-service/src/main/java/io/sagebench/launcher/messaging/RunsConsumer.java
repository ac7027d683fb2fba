package io.sagebench.launcher.messaging;

import io.sagebench.platform.inbox.TransientRetry;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sagebench.launcher.app.RunSpans;
import io.sagebench.launcher.domain.InvalidEventException;
import io.sagebench.launcher.domain.RunPlan;
import io.sagebench.launcher.domain.RunPlanReader;
import io.sagebench.launcher.domain.TrainingJobRequestFactory;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.smallrye.common.annotation.Blocking;

/**
 * bench.runs: RunPlanned (also any record without an event-type header) and RunCancelRequested. A record that cannot
 * be processed is thrown back to the connector, which dead-letters it to bench.dlq.launcher-service with the reason
 * and goes on with the next one.
 */
@ApplicationScoped
public class RunsConsumer {
    private static final Logger LOG = Logger.getLogger(RunsConsumer.class);

    @Inject
    LaunchWorkflow workflow;
    @Inject
    TrainingJobRequestFactory requests;
    @Inject
    ObjectMapper mapper;
    @Inject
    RunSpans tracing;
    @Inject
    ConsumedRecords records;
    @Inject
    TransientRetry retry;

    @Incoming("runs")
    @Blocking
    public void onRecord(ConsumerRecord<String, String> record) throws Exception {
        String eventId = IncomingRecord.eventId(record);
        String header = IncomingRecord.eventType(record);
        String type = header == null || header.isBlank() ? "RunPlanned" : header;
        // A span of the design's trace (the record's traceparent), so what the run publishes later continues it.
        Span span = tracing.start("launcher " + type, SpanKind.CONSUMER, IncomingRecord.traceparent(record));
        records.observe(record.topic(), span, () -> {
            MDC.put("runId", record.key() == null ? "" : record.key());
            return switch (type) {
                case "RunPlanned" -> onRunPlanned(eventId, record.value(), span);
                case "RunCancelRequested" -> onCancel(eventId, record.value());
                default -> {
                    LOG.debugf("ignoring %s on bench.runs", type);
                    yield retry.call(type + " " + eventId, () -> workflow.skip(eventId, type));
                }
            };
        });
    }

    private boolean onRunPlanned(String eventId, String json, Span span) {
        RunPlan plan;
        String traceparent = RunSpans.continuing(null);
        try {
            plan = RunPlanReader.read(json);
            RunSpans.describe(span, plan.designId(), plan.runId(), plan.cellId(), null);
            MDC.put("designId", plan.designId());
            var problems = requests.problems(plan);
            if (!problems.isEmpty()) {
                throw new InvalidEventException(problems, plan.runId(), plan.designId());
            }
        } catch (InvalidEventException e) {
            LOG.warnf("rejecting RunPlanned %s: %s", eventId, e.getMessage());
            retry.run("RunPlanned " + eventId, () -> workflow.reject(eventId, e, traceparent));
            // Thrown back so the connector dead-letters the record with this reason.
            throw new IllegalArgumentException("invalid RunPlanned: " + e.getMessage(), e);
        }
        RunPlan accepted = plan;
        return retry.call("RunPlanned " + eventId, () -> workflow.accept(eventId, accepted, json, traceparent));
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
        String runId = Members.requiredText(node, "runId", "RunCancelRequested");
        String designId = Members.requiredText(node, "designId", "RunCancelRequested");
        MDC.put("designId", designId);
        return retry.call("RunCancelRequested " + eventId, () -> workflow.cancel(eventId, runId, designId));
    }
}
