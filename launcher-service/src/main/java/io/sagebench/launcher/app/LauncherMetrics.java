package io.sagebench.launcher.app;

import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.sagebench.contracts.Topics;
import io.sagebench.contracts.catalog.InstanceCatalog;
import io.sagebench.launcher.config.LauncherConfig;
import io.sagebench.launcher.repository.AdmissionRepository;
import io.sagebench.launcher.repository.LaunchRepository;
import io.sagebench.launcher.repository.OutboxRepository;

/**
 * The launcher's metrics (docs/operations.md, Metrics). Counters move where the work happens; the gauges that need the
 * database (running runs, today's spend, outbox backlog) are read by one scheduled query round, so a Prometheus scrape
 * never touches the database.
 */
@ApplicationScoped
public class LauncherMetrics {
    private static final Logger LOG = Logger.getLogger(LauncherMetrics.class);

    @Inject
    MeterRegistry registry;
    @Inject
    LauncherConfig config;
    @Inject
    LaunchRepository launches;
    @Inject
    AdmissionRepository admission;
    @Inject
    OutboxRepository outbox;

    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>(new Snapshot(0, 0, 0, 0));

    record Snapshot(long running, double spendTodayUsd, long outboxBacklog, double outboxOldestAgeSeconds) {
    }

    void registerGauges(@Observes StartupEvent event) {
        Gauge.builder("sagebench.runs.running", snapshot, s -> s.get().running())
                .description("runs with a job not yet ended").register(registry);
        Gauge.builder("sagebench.spend.today.usd", snapshot, s -> s.get().spendTodayUsd()).tag("scope", "account")
                .description("quoted spend admitted today (UTC), USD").register(registry);
        Gauge.builder("sagebench.spend.ceiling.usd", config, c -> c.ceiling().accountUsdPerDay().doubleValue())
                .tag("scope", "account").description("daily spending ceiling, USD").register(registry);
        Gauge.builder("sagebench.spend.ceiling.usd", config, c -> c.ceiling().designerUsdPerDay().doubleValue())
                .tag("scope", "designer").description("daily spending ceiling, USD").register(registry);
        Gauge.builder("sagebench.outbox.backlog", snapshot, s -> s.get().outboxBacklog())
                .description("outbox rows not yet acknowledged by Kafka").register(registry);
        Gauge.builder("sagebench.outbox.oldest.age", snapshot, s -> s.get().outboxOldestAgeSeconds())
                .baseUnit("seconds").description("age of the oldest unsent outbox row").register(registry);
        registerZeroSeries(registry, InstanceCatalog.fromClasspath().instanceTypes());
    }

    /**
     * Every counter series a dashboard or alert names, at zero from start-up, so a rate over it reads 0 before the first
     * event instead of "no data": deferral reasons (RunDeferred's enum), launches per catalog type and market, and
     * consumed records per topic and outcome.
     */
    static void registerZeroSeries(MeterRegistry registry, Collection<String> instanceTypes) {
        for (String reason : DEFERRAL_REASONS) {
            registry.counter("sagebench.runs.deferred", "reason", reason);
        }
        for (String type : instanceTypes) {
            for (String market : List.of("on-demand", "spot")) {
                registry.counter("sagebench.runs.launched", "instance_type", type, "market", market);
            }
        }
        for (String topic : CONSUMED_TOPICS) {
            for (String outcome : CONSUMED_OUTCOMES) {
                registry.counter("sagebench.events.consumed", "topic", topic, "outcome", outcome);
            }
        }
    }

    static final List<String> CONSUMED_TOPICS = List.of(Topics.RUNS, Topics.JOB_STATES, Topics.RESULTS);
    static final List<String> CONSUMED_OUTCOMES = List.of("processed", "duplicate", "dead-lettered", "unacknowledged");

    static final List<String> DEFERRAL_REASONS =
            List.of("quota", "rate", "throttling", "capacity", "budget", "designer-ceiling", "account-ceiling");

    @Scheduled(every = "${sagebench.metrics.refresh:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    @Transactional
    void refresh() {
        try {
            LocalDate today = admission.databaseToday();
            var backlog = outbox.backlog();
            snapshot.set(new Snapshot(launches.countRunning(), admission.spendOn(today, null).doubleValue(),
                    backlog.rows(), backlog.oldestAgeSeconds()));
        } catch (RuntimeException e) {
            LOG.debugf("metrics refresh failed, keeping the last figures: %s", e.toString());
        }
    }

    public void launched(String instanceType, boolean spot) {
        registry.counter("sagebench.runs.launched", "instance_type", instanceType, "market",
                spot ? "spot" : "on-demand").increment();
    }

    public void deferred(String reason) {
        registry.counter("sagebench.runs.deferred", "reason", reason).increment();
    }

    /** @param outcome processed, duplicate or dead-lettered */
    public void consumed(String topic, String outcome) {
        registry.counter("sagebench.events.consumed", "topic", topic, "outcome", outcome).increment();
    }
}
