package io.sagebench.monitor.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.sagebench.contracts.Topics;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The monitor's business metrics (docs/operations.md, "Metrics"), counted once in Micrometer; GET /jobs/stats reads
 * the same counters. Every tag value is registered at start, so a dashboard sees zeros rather than gaps.
 */
@ApplicationScoped
@Startup   // created at start, not on first use: the zero series must exist before any input
public class MonitorMetrics {

    // sagebench.job_events.received{source} and sagebench.job_states.published{source}
    public static final String SOURCE_SQS = "sqs";
    public static final String SOURCE_RECONCILE = "reconcile";
    // sagebench.job_events.dropped{reason}
    public static final String DROP_DUPLICATE = "duplicate";
    public static final String DROP_REGRESSION = "regression";
    public static final String DROP_UNPARSEABLE = "unparseable";
    /** Not one of our jobs: another source, detail type, account or job-name prefix. */
    public static final String DROP_UNKNOWN_JOB = "unknown-job";
    // sagebench.reconciliations{outcome}
    public static final String RECONCILE_UNCHANGED = "unchanged";
    public static final String RECONCILE_CORRECTED = "corrected";
    /** DescribeTrainingJob gave no usable answer (not found, error, unreachable). */
    public static final String RECONCILE_FAILED = "failed";
    // sagebench.events.consumed{topic, outcome}
    public static final String CONSUMED_PROCESSED = "processed";
    public static final String CONSUMED_DUPLICATE = "duplicate";
    public static final String CONSUMED_DEAD_LETTERED = "dead-lettered";
    public static final String CONSUMED_UNACKNOWLEDGED = "unacknowledged";

    static final String RECEIVED = "sagebench.job_events.received";
    static final String PUBLISHED = "sagebench.job_states.published";
    static final String DROPPED = "sagebench.job_events.dropped";
    static final String RECONCILIATIONS = "sagebench.reconciliations";
    static final String CONSUMED = "sagebench.events.consumed";

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public MonitorMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (String source : List.of(SOURCE_SQS, SOURCE_RECONCILE)) {
            counter(RECEIVED, "source", source);
            counter(PUBLISHED, "source", source);
        }
        for (String reason : List.of(DROP_DUPLICATE, DROP_REGRESSION, DROP_UNPARSEABLE, DROP_UNKNOWN_JOB)) {
            counter(DROPPED, "reason", reason);
        }
        for (String outcome : List.of(RECONCILE_UNCHANGED, RECONCILE_CORRECTED, RECONCILE_FAILED)) {
            counter(RECONCILIATIONS, "outcome", outcome);
        }
        for (String outcome : List.of(CONSUMED_PROCESSED, CONSUMED_DUPLICATE, CONSUMED_DEAD_LETTERED, CONSUMED_UNACKNOWLEDGED)) {
            consumedCounter(Topics.LAUNCHES, outcome);
        }
    }

    /** A job state read, from an SQS message or a DescribeTrainingJob answer. */
    public void received(String source) {
        counter(RECEIVED, "source", source).increment();
    }

    /** A state published on bench.job-states. */
    public void published(String source) {
        counter(PUBLISHED, "source", source).increment();
    }

    public void dropped(String reason) {
        counter(DROPPED, "reason", reason).increment();
    }

    public void reconciliation(String outcome) {
        counter(RECONCILIATIONS, "outcome", outcome).increment();
    }

    public void consumed(String topic, String outcome) {
        consumedCounter(topic, outcome).increment();
    }

    /** The counts GET /jobs/stats shows (since start). */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("received", count(RECEIVED, "source", SOURCE_SQS));
        out.put("published", count(PUBLISHED, "source", SOURCE_SQS) + count(PUBLISHED, "source", SOURCE_RECONCILE));
        out.put("duplicates", count(DROPPED, "reason", DROP_DUPLICATE));
        out.put("regressions", count(DROPPED, "reason", DROP_REGRESSION));
        out.put("foreign", count(DROPPED, "reason", DROP_UNKNOWN_JOB));
        out.put("deadLettered", count(DROPPED, "reason", DROP_UNPARSEABLE));
        out.put("reconcileChecks", count(RECONCILIATIONS, "outcome", RECONCILE_UNCHANGED)
                + count(RECONCILIATIONS, "outcome", RECONCILE_CORRECTED)
                + count(RECONCILIATIONS, "outcome", RECONCILE_FAILED));
        out.put("reconciled", count(RECONCILIATIONS, "outcome", RECONCILE_CORRECTED));
        out.put("launchesProcessed", (long) consumedCounter(Topics.LAUNCHES, CONSUMED_PROCESSED).count());
        return out;
    }

    /** One of the snapshot's counts by its key. */
    public long get(String statName) {
        Long v = snapshot().get(statName);
        if (v == null) {
            throw new IllegalArgumentException("no stat " + statName);
        }
        return v;
    }

    private long count(String name, String tag, String value) {
        return (long) counter(name, tag, value).count();
    }

    private Counter counter(String name, String tag, String value) {
        return counters.computeIfAbsent(name + '|' + value, k -> registry.counter(name, tag, value));
    }

    private Counter consumedCounter(String topic, String outcome) {
        return counters.computeIfAbsent(CONSUMED + '|' + topic + '|' + outcome,
                k -> registry.counter(CONSUMED, "topic", topic, "outcome", outcome));
    }
}
