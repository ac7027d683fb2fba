package io.sagebench.contracts;

import io.sagebench.contracts.events.DesignAccepted;
import io.sagebench.contracts.events.DesignCancelRequested;
import io.sagebench.contracts.events.DesignCancelled;
import io.sagebench.contracts.events.DesignCompleted;
import io.sagebench.contracts.events.DesignRejected;
import io.sagebench.contracts.events.DesignSubmitted;
import io.sagebench.contracts.events.Event;
import io.sagebench.contracts.events.RunAttemptEnded;
import io.sagebench.contracts.events.RunCancelRequested;
import io.sagebench.contracts.events.RunDeferred;
import io.sagebench.contracts.events.RunLaunchFailed;
import io.sagebench.contracts.events.RunLaunched;
import io.sagebench.contracts.events.RunPlanned;
import io.sagebench.contracts.events.RunResult;
import io.sagebench.contracts.events.TrainingJobStateChanged;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every event of sagebench: its topic, the payload field that is its record key, its JSON Schema on the classpath and
 * its record in {@code io.sagebench.contracts.events}. The constant's name is the {@code event-type} header value, the
 * schema's file name and the record's simple name.
 */
public enum EventType {

    DesignSubmitted(Topics.DESIGNS, "designId", DesignSubmitted.class),
    DesignCancelRequested(Topics.DESIGNS, "designId", DesignCancelRequested.class),
    DesignAccepted(Topics.DESIGN_STATUS, "designId", DesignAccepted.class),
    DesignRejected(Topics.DESIGN_STATUS, "designId", DesignRejected.class),
    DesignCancelled(Topics.DESIGN_STATUS, "designId", DesignCancelled.class),
    DesignCompleted(Topics.DESIGN_STATUS, "designId", DesignCompleted.class),
    RunPlanned(Topics.RUNS, "runId", RunPlanned.class),
    RunCancelRequested(Topics.RUNS, "runId", RunCancelRequested.class),
    RunLaunched(Topics.LAUNCHES, "runId", RunLaunched.class),
    RunLaunchFailed(Topics.LAUNCHES, "runId", RunLaunchFailed.class),
    RunDeferred(Topics.LAUNCHES, "runId", RunDeferred.class),
    RunAttemptEnded(Topics.LAUNCHES, "runId", RunAttemptEnded.class),
    TrainingJobStateChanged(Topics.JOB_STATES, "trainingJobName", TrainingJobStateChanged.class),
    RunResult(Topics.RESULTS, "runId", RunResult.class);

    /** The folder of the schemas; a schema's {@code $id} is {@link #SCHEMA_ID_PREFIX} plus its file name. */
    public static final String SCHEMA_FOLDER = "sagebench/events/";
    public static final String SCHEMA_ID_PREFIX = "https://sagebench.io/events/";
    /** The shared {@code $defs} (ids, instants, clusters) the event schemas refer to. */
    public static final String COMMON_SCHEMA = SCHEMA_FOLDER + "common.schema.json";
    public static final String ASYNCAPI = "sagebench/asyncapi.yaml";

    private final String topic;
    private final String keyField;
    private final Class<? extends Event> recordClass;

    EventType(String topic, String keyField, Class<? extends Event> recordClass) {
        this.topic = topic;
        this.keyField = keyField;
        this.recordClass = recordClass;
    }

    public String topic() {
        return topic;
    }

    /** The payload field whose value is the record's Kafka key. */
    public String keyField() {
        return keyField;
    }

    /** The record that carries this event's payload. */
    public Class<? extends Event> recordClass() {
        return recordClass;
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

    /** The type whose record is {@code recordClass}; every {@link Event} record has one. */
    public static EventType ofRecord(Class<? extends Event> recordClass) {
        return Arrays.stream(values()).filter(t -> t.recordClass == recordClass).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(recordClass + " is not an event record"));
    }
}
