package io.sagebench.launcher.messaging;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.sagebench.contracts.ids.JobNames;
import io.sagebench.contracts.ids.RunAttempt;
import io.sagebench.launcher.app.LaunchIntake;
import io.sagebench.launcher.app.LaunchOutcomes;
import io.sagebench.launcher.app.RunSpans;
import io.sagebench.platform.inbox.TransientRetry;
import io.sagebench.platform.tracing.LogContext;
import io.smallrye.common.annotation.Blocking;

/**
 * bench.job-states: a terminal TrainingJobStateChanged of one of our jobs frees its instance quota, and a platform
 * failure leads to a new attempt.
 */
@ApplicationScoped
public class JobStatesConsumer {
    private static final String TYPE = "TrainingJobStateChanged";
    static final Set<String> TERMINAL = Set.of("Completed", "Failed", "Stopped");

    @Inject
    LaunchOutcomes outcomes;
    @Inject
    LaunchIntake intake;
    @Inject
    ObjectMapper mapper;
    @Inject
    RunSpans spans;
    @Inject
    ConsumedRecords records;
    @Inject
    TransientRetry retry;

    @Incoming("job-states")
    @Blocking
    public void onRecord(ConsumerRecord<String, String> record) throws Exception {
        Span span = spans.start("launcher " + TYPE, SpanKind.CONSUMER, IncomingRecord.traceparent(record));
        records.observe(record.topic(), span, () -> handle(record, span));
    }

    /** @return false for a duplicate */
    private boolean handle(ConsumerRecord<String, String> record, Span span) throws Exception {
        String eventId = IncomingRecord.eventId(record);
        JsonNode node = record.value() == null ? null : mapper.readTree(record.value());
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("invalid " + TYPE + ": expected a JSON object");
        }
        String jobName = Members.requiredText(node, "trainingJobName", TYPE);
        String status = Members.requiredText(node, "status", TYPE);
        String named = Members.optionalText(node, "runId", TYPE);
        String runId = named != null ? named : JobNames.parse(jobName).map(RunAttempt::runId).orElse(null);
        String designId = Members.optionalText(node, "designId", TYPE);
        String failureReason = Members.optionalText(node, "failureReason", TYPE);
        JsonNode terminalMember = node.get("terminal");
        if (terminalMember != null && !terminalMember.isNull() && !terminalMember.isBoolean()) {
            throw new IllegalArgumentException("invalid " + TYPE + ": terminal must be a boolean, not "
                    + Members.kind(terminalMember));
        }
        // Only the three terminal statuses end a job (and can be reported in RunAttemptEnded).
        boolean terminal = TERMINAL.contains(status) && (terminalMember == null || terminalMember.asBoolean(true));
        RunSpans.describe(span, designId, runId, null, jobName);
        LogContext.of(null, runId);
        if (runId == null || !terminal) {
            return retry.call(TYPE + " " + eventId, () -> intake.skip(eventId, TYPE));
        }
        return retry.call(TYPE + " " + eventId,
                () -> outcomes.jobEnded(eventId, runId, jobName, status, failureReason));
    }
}
