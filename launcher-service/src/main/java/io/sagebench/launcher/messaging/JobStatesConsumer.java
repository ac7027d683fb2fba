package io.sagebench.launcher.messaging;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sagebench.launcher.domain.JobNames;
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

    @Incoming("job-states")
    @Blocking
    public void onRecord(ConsumerRecord<String, String> record) throws Exception {
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
        if (runId == null || !terminal) {
            workflow.skip(eventId, "TrainingJobStateChanged");
            return;
        }
        workflow.jobEnded(eventId, runId, jobName, status, node.path("failureReason").asText(null));
    }
}
