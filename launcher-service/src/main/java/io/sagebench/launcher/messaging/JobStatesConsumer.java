package io.sagebench.launcher.messaging;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.MDC;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sagebench.launcher.domain.JobNames;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.smallrye.common.annotation.Blocking;

/**
 * bench.job-states: a terminal TrainingJobStateChanged of one of our jobs frees its instance quota, and a platform
 * failure leads to a new attempt.
 */
@ApplicationScoped
public class JobStatesConsumer {
    static final Set<String> TERMINAL = Set.of("Completed", "Failed", "Stopped");

    @Inject
    LaunchWorkflow workflow;
    @Inject
    ObjectMapper mapper;
    @Inject
    Tracing tracing;
    @Inject
    LauncherMetrics metrics;

    @Incoming("job-states")
    @Blocking
    public void onRecord(ConsumerRecord<String, String> record) throws Exception {
        Span span = tracing.start("launcher TrainingJobStateChanged", SpanKind.CONSUMER,
                RecordHeadersUtil.header(record, Tracing.HEADER));
        try (Scope ignored = span.makeCurrent()) {
            boolean applied = handle(record, span);
            metrics.consumed(record.topic(), applied ? "processed" : "duplicate");
        } catch (Exception e) {
            metrics.consumed(record.topic(), "dead-lettered");
            span.recordException(e);
            throw e; // the connector dead-letters the record with this reason and goes on
        } finally {
            span.end();
            MDC.remove("runId");
            MDC.remove("designId");
        }
    }

    /** @return false for a duplicate */
    private boolean handle(ConsumerRecord<String, String> record, Span span) throws Exception {
        String eventId = RecordHeadersUtil.eventId(record);
        JsonNode node = record.value() == null ? null : mapper.readTree(record.value());
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("invalid TrainingJobStateChanged: expected a JSON object");
        }
        String jobName = node.path("trainingJobName").asText(null);
        String status = node.path("status").asText(null);
        if (jobName == null || status == null) {
            throw new IllegalArgumentException("invalid TrainingJobStateChanged: trainingJobName and status are required");
        }
        String runId = node.path("runId").asText(JobNames.runIdOf(jobName));
        // Only the three terminal statuses end a job (and can be reported in RunAttemptEnded).
        boolean terminal = TERMINAL.contains(status) && node.path("terminal").asBoolean(true);
        Tracing.describe(span, node.path("designId").asText(null), runId, null, jobName);
        if (runId != null) {
            MDC.put("runId", runId);
        }
        if (runId == null || !terminal) {
            return workflow.skip(eventId, "TrainingJobStateChanged");
        }
        return workflow.jobEnded(eventId, runId, jobName, status, node.path("failureReason").asText(null));
    }
}
