package io.sagebench.design.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sagebench.contracts.EventType;
import io.sagebench.contracts.Headers;
import io.sagebench.contracts.Topics;
import io.sagebench.design.domain.Plan;
import io.sagebench.design.domain.PlannedRun;
import io.sagebench.design.domain.ValidationError;
import io.sagebench.design.repository.OutboxRepository.OutboxRecord;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Builds the JSON of every event design-service publishes (the schemas of sagebench-contracts) as outbox records. In
 * {@code app}, not {@code messaging}: the use cases write them to the outbox, and messaging depends on app.
 */
public final class DesignEvents {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DesignEvents() {
    }

    /** @param submittedBy the design's authenticated submitter (the launcher's per-designer ceiling reads it) */
    public static ObjectNode runPlanned(PlannedRun r, String submittedBy) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("runId", r.runId());
        n.put("designId", r.designId());
        if (submittedBy != null) {
            n.put("submittedBy", submittedBy);
        }
        n.put("cellId", r.cellId());
        n.put("sequence", r.sequence());
        n.put("replicate", r.replicate());
        n.putObject("model").put("hubId", r.model().hubId()).put("parameters", r.model().parameters())
                .put("sequenceLength", r.model().sequenceLength());
        n.putObject("dataset").put("hubId", r.datasetHubId()).put("size", r.datasetSize())
                .put("trainFraction", r.trainFraction()).put("splitSeed", r.splitSeed());
        n.putObject("cluster").put("instanceType", r.instanceType()).put("instanceCount", r.instanceCount())
                .put("gpusPerInstance", r.gpusPerInstance()).put("totalGpus", r.totalGpus())
                .put("distribution", r.distribution());
        n.put("perDeviceBatchSize", r.perDeviceBatchSize());
        n.put("globalBatchSize", r.globalBatchSize());
        n.put("learningRate", r.learningRate());
        n.put("steps", r.steps());
        n.put("epochs", r.epochs());
        n.put("samplesSeen", r.samplesSeen());
        n.put("volumeSizeGb", r.volumeSizeGb());
        n.put("maxRuntimeSeconds", r.maxRuntimeSeconds());
        n.put("spot", r.spot());
        if (r.maxWaitSeconds() != null) {
            n.put("maxWaitSeconds", r.maxWaitSeconds());
        }
        n.put("region", r.region());
        ObjectNode hp = n.putObject("hyperparameters");
        r.hyperparameters().forEach(hp::put);
        n.putObject("quote").put("seconds", r.quote().seconds()).put("usd", r.quote().usd())
                .put("hourlyPriceUsd", r.quote().hourlyPriceUsd()).put("priceBookVersion", r.quote().priceBookVersion());
        return n;
    }

    public static ObjectNode quote(Plan.DesignQuote q) {
        ObjectNode n = MAPPER.createObjectNode().put("totalUsd", q.totalUsd()).put("totalSeconds", q.totalSeconds())
                .put("budgetUsd", q.budgetUsd()).put("priceBookVersion", q.priceBookVersion());
        if (q.reusedRuns() > 0) {
            n.put("reusedRuns", q.reusedRuns()).put("savedUsd", q.savedUsd());
        }
        return n;
    }

    public static ObjectNode designAccepted(String designId, String name, String submittedBy, long randomSeed,
                                            Plan.DesignQuote quote, List<String> runIds, Map<String, String> reusedFrom) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("designId", designId);
        if (name != null) {
            n.put("name", name);
        }
        if (submittedBy != null) {
            n.put("submittedBy", submittedBy);
        }
        n.put("runCount", runIds.size());
        n.put("randomSeed", randomSeed);
        n.set("quote", quote(quote));
        ArrayNode ids = n.putArray("runIds");
        runIds.forEach(ids::add);
        if (!reusedFrom.isEmpty()) {
            // runs not planned again: this design's runId → the earlier run that measured the same cell replicate
            ObjectNode reused = n.putObject("reusedFrom");
            new TreeMap<>(reusedFrom).forEach(reused::put);
        }
        n.put("acceptedAt", Instant.now().toString());
        return n;
    }

    public static ObjectNode designRejected(String designId, List<ValidationError> errors) {
        ObjectNode n = MAPPER.createObjectNode();
        if (designId != null) {
            n.put("designId", designId);
        } else {
            n.putNull("designId");
        }
        n.set("errors", errors(errors));
        n.put("rejectedAt", Instant.now().toString());
        return n;
    }

    public static ArrayNode errors(List<ValidationError> errors) {
        ArrayNode arr = MAPPER.createArrayNode();
        errors.forEach(e -> arr.addObject().put("path", e.path()).put("message", e.message()).put("rule", e.rule()));
        return arr;
    }

    public static ObjectNode designCancelled(String designId, List<String> cancelledRunIds) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("designId", designId);
        ArrayNode ids = n.putArray("cancelledRunIds");
        cancelledRunIds.forEach(ids::add);
        n.put("cancelledAt", Instant.now().toString());
        return n;
    }

    public static ObjectNode runCancelRequested(String runId, String designId, String reason) {
        ObjectNode n = MAPPER.createObjectNode().put("runId", runId).put("designId", designId);
        if (reason != null) {
            n.put("reason", reason);
        }
        return n;
    }

    /** An event for the outbox on its type's topic, with the house headers event-id, event-type and schema-version. */
    public static OutboxRecord event(EventType type, String key, ObjectNode payload) {
        String eventId = UUID.randomUUID().toString();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(Headers.EVENT_ID, eventId);
        headers.put(Headers.EVENT_TYPE, type.name());
        headers.put(Headers.SCHEMA_VERSION, Headers.CURRENT_SCHEMA_VERSION);
        return new OutboxRecord(0, type.topic(), key, type.name(), eventId, headers, write(payload));
    }

    /**
     * A dead-letter record: the original key and value, the original headers, and the reason and origin in the
     * headers SmallRye's dead-letter strategy uses (dead-letter-reason, -topic, -partition, -offset).
     */
    public static OutboxRecord deadLetter(IncomingRecord original, String reason) {
        Map<String, String> headers = new LinkedHashMap<>(original.headers());
        // the producer's bearer token is not kept: dead letters are read by operators, and tokens are not replayed
        headers.keySet().removeIf(name -> name.equalsIgnoreCase(Headers.AUTHORIZATION));
        headers.put(Headers.DEAD_LETTER_REASON, reason.length() > 2000 ? reason.substring(0, 2000) + "…" : reason);
        headers.put(Headers.DEAD_LETTER_TOPIC, original.topic());
        headers.put(Headers.DEAD_LETTER_PARTITION, Integer.toString(original.partition()));
        headers.put(Headers.DEAD_LETTER_OFFSET, Long.toString(original.offset()));
        return new OutboxRecord(0, Topics.DLQ_DESIGN_SERVICE, original.key(), "DeadLetter", UUID.randomUUID().toString(),
                headers, original.value());
    }

    public static String write(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
