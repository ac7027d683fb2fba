package io.sagebench.contracts;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every event of sagebench: its topic, the payload field that is its record key, and its JSON Schema on the classpath.
 * The constant's name is the {@code event-type} header value and the schema's file name.
 */
public enum EventType {

    DesignSubmitted(Topics.DESIGNS, "designId"),
    DesignCancelRequested(Topics.DESIGNS, "designId"),
    DesignAccepted(Topics.DESIGN_STATUS, "designId"),
    DesignRejected(Topics.DESIGN_STATUS, "designId"),
    DesignCancelled(Topics.DESIGN_STATUS, "designId"),
    DesignCompleted(Topics.DESIGN_STATUS, "designId"),
    RunPlanned(Topics.RUNS, "runId"),
    RunCancelRequested(Topics.RUNS, "runId"),
    RunLaunched(Topics.LAUNCHES, "runId"),
    RunLaunchFailed(Topics.LAUNCHES, "runId"),
    RunDeferred(Topics.LAUNCHES, "runId"),
    RunAttemptEnded(Topics.LAUNCHES, "runId"),
    TrainingJobStateChanged(Topics.JOB_STATES, "trainingJobName"),
    RunResult(Topics.RESULTS, "runId");

    /** The folder of the schemas; a schema's {@code $id} is {@link #SCHEMA_ID_PREFIX} plus its file name. */
    public static final String SCHEMA_FOLDER = "sagebench/events/";
    public static final String SCHEMA_ID_PREFIX = "https://sagebench.io/events/";
    /** The shared {@code $defs} (ids, instants, clusters) the event schemas refer to. */
    public static final String COMMON_SCHEMA = SCHEMA_FOLDER + "common.schema.json";
    public static final String ASYNCAPI = "sagebench/asyncapi.yaml";

    private final String topic;
    private final String keyField;

    EventType(String topic, String keyField) {
        this.topic = topic;
        this.keyField = keyField;
    }

    public String topic() {
        return topic;
    }

    /** The payload field whose value is the record's Kafka key. */
    public String keyField() {
        return keyField;
    }

    /** The schema's classpath resource, e.g. {@code sagebench/events/RunPlanned.schema.json}. */
    public String schemaResource() {
        return SCHEMA_FOLDER + schemaFileName();
    }

    /** The schema's {@code $id}, e.g. {@code https://sagebench.io/events/RunPlanned.schema.json}. */
    public String schemaId() {
        return SCHEMA_ID_PREFIX + schemaFileName();
    }

    public String schemaFileName() {
        return name() + ".schema.json";
    }

    /**
     * The classpath resource of a schema {@code $id} (an event's or common's), so a validator resolves every
     * {@code $ref} locally; empty for an id outside sagebench's.
     */
    public static Optional<String> schemaResourceOf(String schemaId) {
        if (schemaId == null || !schemaId.startsWith(SCHEMA_ID_PREFIX)) {
            return Optional.empty();
        }
        String fileName = schemaId.substring(SCHEMA_ID_PREFIX.length());
        // the schemas sit in one folder; anything with a path in it is not one of them
        return fileName.isEmpty() || fileName.contains("/") ? Optional.empty() : Optional.of(SCHEMA_FOLDER + fileName);
    }

    /** The type an {@code event-type} header names; empty for a name sagebench does not know. */
    public static Optional<EventType> of(String headerValue) {
        return Arrays.stream(values()).filter(t -> t.name().equals(headerValue)).findFirst();
    }
}
