package io.sagebench.local.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.sagebench.local.chaos.Evidence.Rec;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The one-screen report: what was injected, what the system did, and which invariants held (with the first problems). */
final class Report {

    final Invariants invariants;
    private final String title;
    private final long seed;
    private final Scenario s;
    private final Evidence e;
    private final PrivateMariaDb db;
    private final double clock;
    private final List<String> instances;

    Report(String title, long seed, Scenario s, Evidence e, Invariants invariants, PrivateMariaDb db, double clock, List<String> instances) {
        this.title = title;
        this.seed = seed;
        this.s = s;
        this.e = e;
        this.invariants = invariants;
        this.db = db;
        this.clock = clock;
        this.instances = instances;
    }

    String render() {
        StringBuilder b = new StringBuilder();
        Set<String> designIds = s.designs.stream().map(Invariants.Design::designId).collect(Collectors.toSet());
        int runs = s.designs.stream().mapToInt(d -> d.runIds().size()).sum();
        line(b, "==== sagebench chaos suite: %s, seed %d (-Dchaos.seed), %d s ====", title, seed,
                s.elapsed == null ? 0 : s.elapsed.toSeconds());
        line(b, "stack: Kafka 4.1.2 broker, ElasticMQ + SageMaker emulator (clock x%.0f), the suite's own mariadbd on port %d"
                + " (not the machine's), %d service instances %s", clock, db.port(), instances.size(), instances);
        JsonNode f = e.faultCounts;
        line(b, "faults injected: throttled %d, HTTP 500 %d, capacity failures %d, spot interruptions %d; events duplicated %d,"
                        + " reordered %d, dropped %d (of %d sent); limits: quota rejections %d, rate-limited %d",
                f.path("throttled").asLong(), f.path("internalErrors").asLong(), f.path("capacityFailures").asLong(),
                f.path("spotInterruptions").asLong(), f.path("eventsDuplicated").asLong(), f.path("eventsReordered").asLong(),
                f.path("eventsDropped").asLong(), f.path("eventsSent").asLong(), f.path("quotaRejected").asLong(),
                f.path("rateLimited").asLong());
        line(b, "chaos: %d kill -9 %s, %d scheduled restarts, %d supervisor restarts; Kafka broker restarted %d, MariaDB restarted %d;"
                        + " %d malformed designs, %d poison records (%d topics)",
                s.kills.get(), new TreeMap<>(s.killsByInstance), s.restarts.get(), s.supervisorRestarts.get(), s.kafkaRestarts.get(),
                s.databaseRestarts.get(), s.malformed.size(), s.poison.size(), s.poison.stream().map(Invariants.Poison::topic).distinct().count());
        Map<String, String> finalStatus = new LinkedHashMap<>();
        for (Rec r : e.topic("bench.results")) {
            if (r.json() != null && designIds.contains(r.text("designId"))) finalStatus.put(r.key(), r.text("status"));
        }
        Map<String, Long> byStatus = finalStatus.values().stream().collect(Collectors.groupingBy(x -> x, TreeMap::new, Collectors.counting()));
        List<Evidence.Job> jobs = e.jobs.stream().filter(j -> designIds.contains(j.designId())).toList();
        long relaunched = jobs.stream().filter(j -> j.attempt() != null && j.attempt() > 1).map(Evidence.Job::runId).distinct().count();
        line(b, "runs: %d in %d designs; results %s; %d runs needed more than one attempt; %d DesignRejected for malformed designs",
                runs, s.designs.size(), byStatus, relaunched, s.malformed.size());
        Map<String, Long> outcomes = e.createCalls.stream().filter(c -> c.runId() != null && designIds.stream().anyMatch(d -> c.runId().startsWith(d + "-")))
                .collect(Collectors.groupingBy(Evidence.CreateCall::outcome, TreeMap::new, Collectors.counting()));
        line(b, "jobs: %d created (%d spot, %d stopped by a cancel); CreateTrainingJob calls by outcome %s", jobs.size(),
                jobs.stream().filter(Evidence.Job::spot).count(), jobs.stream().filter(j -> j.stopRequests() > 0).count(), outcomes);
        Map<String, Integer> resent = new TreeMap<>();
        for (Map.Entry<String, List<Rec>> t : e.topics.entrySet()) {
            Set<String> seen = new HashSet<>();
            int again = 0;
            for (Rec r : t.getValue()) {
                if (r.headers().containsKey("event-id") && !seen.add(r.eventId())) again++;
            }
            if (again > 0) resent.put(t.getKey(), again);
        }
        line(b, "duplicates: %d events delivered twice by the emulator (dropped by monitor-service: every job's states are published"
                + " once, checked below); records re-sent under an already used event-id (dropped by consumers' processed_event): %s",
                f.path("eventsDuplicated").asLong(), resent.isEmpty() ? "none" : resent);
        line(b, "when the topics were read: outbox rows unsent %s; records not yet consumed per group %s", s.outboxBacklog,
                s.consumerLag);
        line(b, "invariants:");
        for (Invariants.Check c : invariants.checks) {
            line(b, "  [%s] %-48s %s", c.held() ? "held" : "VIOLATED", c.name(), c.figure());
            if (!c.held()) {
                c.problems().stream().limit(4).forEach(p -> line(b, "           - %s", p));
                if (c.problems().size() > 4) line(b, "           - ... %d more", c.problems().size() - 4);
            }
        }
        if (!invariants.notes.isEmpty()) {
            line(b, "notes (no invariant broken):");
            invariants.notes.stream().limit(4).forEach(n -> line(b, "  - %s", n));
            if (invariants.notes.size() > 4) line(b, "  - ... %d more", invariants.notes.size() - 4);
        }
        long violated = invariants.checks.stream().filter(c -> !c.held()).count();
        line(b, "result: %s", violated == 0 ? "ALL " + invariants.checks.size() + " INVARIANTS HELD"
                : violated + " OF " + invariants.checks.size() + " INVARIANTS VIOLATED");
        line(b, "timeline:");
        s.timeline.stream().filter(t -> t.contains("kill") || t.contains("restart") || t.contains("Kafka") || t.contains("MariaDB")
                || t.contains("cancelled") || t.contains("ended") || t.contains("timeout") || t.contains("failed") || t.contains("stalled"))
                .forEach(t -> line(b, "  %s", t));
        return b.toString();
    }

    String violations() {
        StringBuilder b = new StringBuilder();
        for (Invariants.Check c : invariants.checks) {
            if (!c.held()) {
                b.append(c.name()).append(":\n");
                c.problems().stream().limit(20).forEach(p -> b.append("  ").append(p).append('\n'));
            }
        }
        return b.toString();
    }

    private static void line(StringBuilder b, String format, Object... args) {
        b.append(String.format(java.util.Locale.ROOT, format, args)).append('\n');
    }
}
