package io.sagebench.launcher.messaging;

import io.sagebench.platform.inbox.TransientRetry;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.MDC;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sagebench.contracts.ids.JobNames;
import io.sagebench.contracts.ids.RunAttempt;
import io.sagebench.launcher.app.RunSpans;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
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
    RunSpans tracing;
    @Inject
    ConsumedRecords records;
    @Inject
    TransientRetry retry;

    @Incoming("job-states")
    @Blocking
    public void onRecord(ConsumerRecord<String, String> record) throws Exception {
        Span span = tracing.start("launcher TrainingJobStateChanged", SpanKind.CONSUMER,
                IncomingRecord.traceparent(record));
        records.observe(record.topic(), span, () -> handle(record, span));
    }

    /** @return false for a duplicate */
    private boolean handle(ConsumerRecord<String, String> record, Span span) throws Exception {
        String eventId = IncomingRecord.eventId(record);
        JsonNode node = record.value() == null ? null : mapper.readTree(record.value());
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("invalid TrainingJobStateChanged: expected a JSON object");
        }
        String jobName = Members.requiredText(node, "trainingJobName", "TrainingJobStateChanged");
        String status = Members.requiredText(node, "status", "TrainingJobStateChanged");
        String runId = Members.optionalText(node, "runId", "TrainingJobStateChanged");
        if (runId == null) {
            runId = JobNames.parse(jobName).map(RunAttempt::runId).orElse(null);
        }
        String designId = Members.optionalText(node, "designId", "TrainingJobStateChanged");
        String failureReason = Members.optionalText(node, "failureReason", "TrainingJobStateChanged");
        JsonNode terminalMember = node.get("terminal");
        if (terminalMember != null && !terminalMember.isNull() && !terminalMember.isBoolean()) {
            throw new IllegalArgumentException("invalid TrainingJobStateChanged: terminal must be a boolean, not "
                    + Members.kind(terminalMember));
        }
        // Only the three terminal statuses end a job (and can be reported in RunAttemptEnded).
        boolean terminal = TERMINAL.contains(status) && (terminalMember == null || terminalMember.asBoolean(true));
        RunSpans.describe(span, designId, runId, null, jobName);
        if (runId != null) {
            MDC.put("runId", runId);
        }
        if (runId == null || !terminal) {
            return retry.call("TrainingJobStateChanged " + eventId,
                    () -> workflow.skip(eventId, "TrainingJobStateChanged"));
        }
        String endedRun = runId;
        return retry.call("TrainingJobStateChanged " + eventId,
                () -> workflow.jobEnded(eventId, endedRun, jobName, status, failureReason));
    }
}
