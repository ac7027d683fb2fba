package io.sagebench.monitor.health;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Counts what the monitor saw and did since start (served by GET /jobs/stats). */
@ApplicationScoped
public class MonitorCounters {

    public static final String RECEIVED = "received";
    public static final String PUBLISHED = "published";
    public static final String DUPLICATES = "duplicates";
    public static final String REGRESSIONS = "regressions";
    public static final String FOREIGN = "foreign";
    public static final String DEAD_LETTERED = "deadLettered";
    public static final String RECONCILE_CHECKS = "reconcileChecks";
    public static final String RECONCILED = "reconciled";
    public static final String LAUNCHES = "launchesLearned";

    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    public void increment(String name) {
        counts.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
    }

    public long get(String name) {
        AtomicLong c = counts.get(name);
        return c == null ? 0 : c.get();
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String name : new String[] {RECEIVED, PUBLISHED, DUPLICATES, REGRESSIONS, FOREIGN, DEAD_LETTERED,
                RECONCILE_CHECKS, RECONCILED, LAUNCHES}) {
            out.put(name, get(name));
        }
        return out;
    }
}
