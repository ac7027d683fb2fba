package io.sagebench.launcher.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sagebench.launcher.domain.InvalidEventException;
import io.sagebench.launcher.domain.RunPlan;
import io.sagebench.launcher.domain.RunPlanReader;
import io.sagebench.launcher.domain.TrainingJobRequestFactory;
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

    @Incoming("runs")
    @Blocking
    public void onRecord(ConsumerRecord<String, String> record) {
        String eventId = RecordHeadersUtil.eventId(record);
        String type = RecordHeadersUtil.header(record, "event-type");
        if (type == null || type.isBlank()) {
            type = "RunPlanned";
        }
        switch (type) {
            case "RunPlanned" -> onRunPlanned(eventId, record.value());
            case "RunCancelRequested" -> onCancel(eventId, record.value());
            default -> {
                LOG.debugf("ignoring %s on bench.runs", type);
                workflow.skip(eventId, type);
            }
        }
    }

    private void onRunPlanned(String eventId, String json) {
        RunPlan plan;
        try {
            plan = RunPlanReader.read(json);
            var problems = requests.problems(plan);
            if (!problems.isEmpty()) {
                throw new InvalidEventException(problems, plan.runId(), plan.designId());
            }
        } catch (InvalidEventException e) {
            LOG.warnf("rejecting RunPlanned %s: %s", eventId, e.getMessage());
            workflow.reject(eventId, e);
            // Thrown back so the connector dead-letters the record with this reason.
            throw new IllegalArgumentException("invalid RunPlanned: " + e.getMessage(), e);
        }
        workflow.accept(eventId, plan, json);
    }

    private void onCancel(String eventId, String json) {
        JsonNode node;
        try {
            node = json == null ? null : mapper.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException("invalid RunCancelRequested: not JSON", e);
        }
        String runId = node == null ? null : node.path("runId").asText(null);
        String designId = node == null ? null : node.path("designId").asText(null);
        if (runId == null || designId == null) {
            throw new IllegalArgumentException("invalid RunCancelRequested: runId and designId are required");
        }
        workflow.cancel(eventId, runId, designId);
    }
}
