package io.sagebench.design.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sagebench.design.repository.OutboxRepository;
import io.sagebench.design.repository.OutboxRepository.Backlog;
import io.quarkus.runtime.Startup;
import io.sagebench.contracts.Topics;
import io.sagebench.design.domain.ValidationError;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * design-service's metrics (docs/operations.md, "Metrics"). Business counters move only when the transaction that
 * did the work commits, so a retried record or a rolled-back design is not counted twice. Every series a dashboard or
 * an alert names exists from start-up, at zero, so a rate over it is 0 rather than "no data".
 */
@Startup
@ApplicationScoped
public class DesignMetrics {

    /** The outbox gauges share one query, at most once a second, however often they are scraped. */
    private static final Duration BACKLOG_CACHE = Duration.ofSeconds(1);
    /** Every rule a rejection can name (ValidationError's and docs/security.md's). */
    static final List<String> REJECTION_RULES = List.of(ValidationError.VALIDATION, ValidationError.BUDGET,
            ValidationError.CONFLICT, DesignPolicy.RESERVED_HYPERPARAMETER, DesignPolicy.HYPERPARAMETER_BOUNDS,
            DesignPolicy.IMAGE_NOT_ALLOWED, DesignPolicy.ROLE_NOT_ALLOWED, DesignPolicy.S3_OUTSIDE_BUCKETS,
            DesignPolicy.PAYLOAD_TOO_LARGE, DesignPolicy.SUBMITTER_MISMATCH, DesignPolicy.UNAUTHENTICATED_SUBMISSION);
    static final List<String> CONSUMED_TOPICS = List.of(Topics.DESIGNS, Topics.RESULTS);
    static final List<String> CONSUMED_OUTCOMES = List.of("processed", "duplicate", "dead-lettered");

    @Inject
    MeterRegistry registry;
    @Inject
    TransactionSynchronizationRegistry transactions;
    @Inject
    OutboxRepository outbox;

    private Counter accepted;
    private Counter cancelled;
    private Counter runsPlanned;
    private final AtomicReference<CachedBacklog> backlog = new AtomicReference<>();

    private record CachedBacklog(Backlog value, long readAtNanos) {
    }

    @PostConstruct
    void register() {
        accepted = Counter.builder("sagebench.designs.accepted").description("designs accepted").register(registry);
        cancelled = Counter.builder("sagebench.designs.cancelled").description("designs cancelled").register(registry);
        runsPlanned = Counter.builder("sagebench.runs.planned").description("runs planned (RunPlanned written)")
                .register(registry);
        Gauge.builder("sagebench.outbox.backlog", this, m -> m.backlog().rows())
                .description("outbox rows not yet acknowledged by Kafka").register(registry);
        Gauge.builder("sagebench.outbox.oldest.age", this, m -> m.backlog().oldestAgeSeconds())
                .description("age of the oldest unsent outbox row, seconds (0 when empty)").baseUnit("seconds")
                .register(registry);
        REJECTION_RULES.forEach(this::rejected);
        CONSUMED_TOPICS.forEach(topic -> CONSUMED_OUTCOMES.forEach(outcome -> consumed(topic, outcome)));
        // the series summed by the dashboard; each accepted design adds its own design_id
        quoted("");
    }

    private Counter rejected(String rule) {
        return Counter.builder("sagebench.designs.rejected").description("designs rejected, by rule")
                .tag("rule", rule).register(registry);
    }

    private Counter consumed(String topic, String outcome) {
        return Counter.builder("sagebench.events.consumed").description("records consumed")
                .tag("topic", topic).tag("outcome", outcome).register(registry);
    }

    private Counter quoted(String designId) {
        return Counter.builder("sagebench.quoted.usd").description("quoted cost of accepted designs, USD")
                .tag("design_id", designId).register(registry);
    }

    public void designAccepted(String designId, int runsToPlan, double quotedUsd) {
        afterCommit(() -> {
            accepted.increment();
            runsPlanned.increment(runsToPlan);
            quoted(designId).increment(quotedUsd);
        });
    }

    /** @param rule the first rule the design broke (validation, budget, reserved-hyperparameter, …) */
    public void designRejected(String rule) {
        afterCommit(() -> rejected(rule).increment());
    }

    public void designCancelled() {
        afterCommit(cancelled::increment);
    }

    /** @param outcome processed, duplicate or dead-lettered */
    public void eventConsumed(String topic, String outcome) {
        consumed(topic, outcome).increment();
    }

    private Backlog backlog() {
        CachedBacklog cached = backlog.get();
        if (cached == null || System.nanoTime() - cached.readAtNanos() > BACKLOG_CACHE.toNanos()) {
            try {
                cached = new CachedBacklog(outbox.backlog(), System.nanoTime());
            } catch (RuntimeException databaseAway) {
                // a scrape must not fail: report the last value (or nothing) until the database answers
                return cached == null ? new Backlog(0, 0) : cached.value();
            }
            backlog.set(cached);
        }
        return cached.value();
    }

    private void afterCommit(Runnable action) {
        if (transactions.getTransactionKey() == null) {
            action.run();
            return;
        }
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    action.run();
                }
            }
        });
    }
}
