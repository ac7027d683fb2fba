package io.sagebench.contracts;

/**
 * The record header names sagebench writes and reads. Every event carries {@link #EVENT_ID}, {@link #EVENT_TYPE} and
 * {@link #SCHEMA_VERSION} (asyncapi.yaml's house headers); {@link #TRACEPARENT} when a trace is active.
 */
public final class Headers {

    /** A UUID; consumers dedupe on it. */
    public static final String EVENT_ID = "event-id";
    /** The {@link EventType} name, so a consumer can route before it parses the value. */
    public static final String EVENT_TYPE = "event-type";
    public static final String SCHEMA_VERSION = "schema-version";
    /** The only schema version there is; asyncapi.yaml pins it with {@code const}. */
    public static final String CURRENT_SCHEMA_VERSION = "1";
    /** W3C trace context, carried from the submission through every event of the design. */
    public static final String TRACEPARENT = "traceparent";
    /** The submitter's bearer token on DesignSubmitted; stripped before a record is dead-lettered. */
    public static final String AUTHORIZATION = "authorization";

    // Dead-letter headers: the names SmallRye's Kafka connector uses for its own dead-letter queue, so a record
    // dead-lettered by hand reads the same as one the connector moved.
    public static final String DEAD_LETTER_REASON = "dead-letter-reason";
    public static final String DEAD_LETTER_CAUSE = "dead-letter-cause";
    public static final String DEAD_LETTER_EXCEPTION_CLASS_NAME = "dead-letter-exception-class-name";
    public static final String DEAD_LETTER_CAUSE_CLASS_NAME = "dead-letter-cause-class-name";
    public static final String DEAD_LETTER_TOPIC = "dead-letter-topic";
    public static final String DEAD_LETTER_PARTITION = "dead-letter-partition";
    public static final String DEAD_LETTER_OFFSET = "dead-letter-offset";

    // What the monitor adds when the bad message came from SQS rather than Kafka.
    public static final String DEAD_LETTER_SOURCE = "dead-letter-source";
    public static final String DEAD_LETTER_QUEUE_URL = "dead-letter-queue-url";
    public static final String SQS_MESSAGE_ID = "sqs-message-id";

    private Headers() {
    }
}
