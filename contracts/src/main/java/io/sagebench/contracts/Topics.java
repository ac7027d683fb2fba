package io.sagebench.contracts;

import java.util.List;

/** The Kafka topics of asyncapi.yaml; ContractTest keeps the two equal. */
public final class Topics {

    public static final String DESIGNS = "bench.designs";
    public static final String DESIGN_STATUS = "bench.design-status";
    public static final String RUNS = "bench.runs";
    public static final String LAUNCHES = "bench.launches";
    public static final String JOB_STATES = "bench.job-states";
    public static final String RESULTS = "bench.results";

    /** Where each service puts the records it could not process: {@code bench.dlq.<service>}. */
    public static final String DEAD_LETTER_PREFIX = "bench.dlq.";
    public static final String DLQ_DESIGN_SERVICE = DEAD_LETTER_PREFIX + "design-service";
    public static final String DLQ_LAUNCHER_SERVICE = DEAD_LETTER_PREFIX + "launcher-service";
    public static final String DLQ_MONITOR_SERVICE = DEAD_LETTER_PREFIX + "monitor-service";
    public static final String DLQ_RESULTS_SERVICE = DEAD_LETTER_PREFIX + "results-service";

    /** The topics that carry events (each has at least one {@link EventType}). */
    public static final List<String> EVENT_TOPICS = List.of(DESIGNS, DESIGN_STATUS, RUNS, LAUNCHES, JOB_STATES, RESULTS);
    public static final List<String> DEAD_LETTER_TOPICS =
            List.of(DLQ_DESIGN_SERVICE, DLQ_LAUNCHER_SERVICE, DLQ_MONITOR_SERVICE, DLQ_RESULTS_SERVICE);

    private Topics() {
    }

    /** The dead-letter topic of a service, e.g. {@code deadLetters("results-service")}. */
    public static String deadLetters(String service) {
        String topic = DEAD_LETTER_PREFIX + service;
        if (!DEAD_LETTER_TOPICS.contains(topic)) {
            throw new IllegalArgumentException("no dead-letter topic for service '" + service + "'");
        }
        return topic;
    }
}
