package io.sagebench.results.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
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
        // every failure class at zero, so dashboards and alerts see it before it first happens
        for (String failureClass : FailureClass.ALL) {
            registry.counter("sagebench.runs.failed", "failure_class", failureClass);
        }
    }

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
