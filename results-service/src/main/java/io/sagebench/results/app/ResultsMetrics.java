package io.sagebench.results.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.sagebench.contracts.Topics;
import io.sagebench.results.config.ResultsConfig;
import io.sagebench.results.domain.FailureClass;
import io.sagebench.results.domain.RunRecord;
import io.sagebench.results.domain.RunStatus;
import io.sagebench.results.repository.OperationalViews;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The business and outbox metrics of docs/operations.md. Counters move only for what was committed (CDI events
 * observed after the transaction succeeded); the gauges are read from the database on a schedule, never on a scrape.
 */
@ApplicationScoped
public class ResultsMetrics {

    /** A record consumed: {@code processed}, {@code duplicate} or {@code dead-lettered}. */
    public record Consumed(String topic, String outcome) {
    }

    /** A run's one result, stored. */
    public record RunFinished(RunRecord result) {
    }

    /** A run that ended without a job result: its launch failed for good. */
    public record LaunchFailedForGood(String designId, String failureClass) {
    }

    private static final Logger LOG = Logger.getLogger(ResultsMetrics.class);

    @Inject
    MeterRegistry registry;
    @Inject
    OperationalViews views;
    @Inject
    ResultsConfig config;

    private final AtomicLong inProgress = new AtomicLong();
    private final AtomicLong overdue = new AtomicLong();
    private final AtomicLong outboxBacklog = new AtomicLong();
    private final AtomicLong outboxOldestAgeMillis = new AtomicLong();

    @PostConstruct
    void gauges() {
        registry.gauge("sagebench.runs.in_progress", inProgress);
        registry.gauge("sagebench.runs.overdue", overdue);
        registry.gauge("sagebench.outbox.backlog", outboxBacklog);
        Gauge.builder("sagebench.outbox.oldest.age", outboxOldestAgeMillis, a -> a.get() / 1000.0)
                .baseUnit("seconds").description("age of the oldest unsent outbox row").register(registry);
        registerZeroSeries(registry);
    }

    /**
     * Every counter series a dashboard or alert names, at zero from start-up, so a rate over it reads 0 before the first
     * event instead of "no data": failures per class, finished runs per status, consumed records per topic and outcome,
     * and the billed total (with an empty design_id, which Prometheus drops from the sum by design_id).
     */
    static void registerZeroSeries(MeterRegistry registry) {
        for (String failureClass : FailureClass.ALL) {
            registry.counter("sagebench.runs.failed", "failure_class", failureClass);
        }
        for (String status : List.of(RunStatus.COMPLETED, RunStatus.FAILED, RunStatus.STOPPED)) {
            registry.counter("sagebench.runs.finished", "status", status);
        }
        for (String topic : CONSUMED_TOPICS) {
            for (String outcome : List.of("processed", "duplicate", "dead-lettered")) {
                registry.counter("sagebench.events.consumed", "topic", topic, "outcome", outcome);
            }
        }
        registry.counter("sagebench.billed.usd", "design_id", "");
    }

    static final List<String> CONSUMED_TOPICS =
            List.of(Topics.RUNS, Topics.DESIGN_STATUS, Topics.LAUNCHES, Topics.JOB_STATES);

    @Scheduled(every = "${sagebench.results.gauge-interval:5s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void refreshGauges() {
        try {
            OperationalViews.Snapshot s = views.snapshot(config.overdueFactor(), Instant.now());
            inProgress.set(s.runsInProgress());
            overdue.set(s.runsOverdue());
            outboxBacklog.set(s.outboxBacklog());
            outboxOldestAgeMillis.set(Math.round(s.outboxOldestAgeSeconds() * 1000));
        } catch (RuntimeException e) {
            LOG.debugf("gauges not refreshed: %s", e.toString()); // the database's own health check reports it
        }
    }

    void onConsumed(@Observes(during = TransactionPhase.AFTER_SUCCESS) Consumed c) {
        consumed(c.topic(), c.outcome());
    }

    /** For outcomes decided outside a transaction (dead letters). */
    public void consumed(String topic, String outcome) {
        Counter.builder("sagebench.events.consumed").tag("topic", topic).tag("outcome", outcome)
                .register(registry).increment();
    }

    void onRunFinished(@Observes(during = TransactionPhase.AFTER_SUCCESS) RunFinished f) {
        RunRecord r = f.result();
        registry.counter("sagebench.runs.finished", "status", r.status()).increment();
        if (RunStatus.FAILED.equals(r.status())) {
            registry.counter("sagebench.runs.failed", "failure_class", FailureClass.ofJob(r.failureReason())).increment();
        }
        registry.counter("sagebench.billed.usd", "design_id", r.designId()).increment(r.costUsd().doubleValue());
    }

    void onLaunchFailed(@Observes(during = TransactionPhase.AFTER_SUCCESS) LaunchFailedForGood f) {
        registry.counter("sagebench.runs.failed", "failure_class",
                f.failureClass() == null ? FailureClass.UNKNOWN : f.failureClass()).increment();
    }
}
