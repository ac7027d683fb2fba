package io.sagebench.emulator;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The live fault switches and the counts of everything injected or enforced, so tests can assert what the system saw. */
public final class Faults {

    public static final String THROTTLED = "throttled";
    public static final String INTERNAL_ERRORS = "internalErrors";
    public static final String CAPACITY_FAILURES = "capacityFailures";
    public static final String SPOT_INTERRUPTIONS = "spotInterruptions";
    public static final String EVENTS_DUPLICATED = "eventsDuplicated";
    public static final String EVENTS_REORDERED = "eventsReordered";
    public static final String EVENTS_DELAYED = "eventsDelayed";
    public static final String EVENTS_DROPPED = "eventsDropped";
    /** Not faults but limits and deliveries, counted the same way. */
    public static final String RATE_LIMITED = "rateLimited";
    public static final String QUOTA_REJECTED = "quotaRejected";
    public static final String EVENTS_SENT = "eventsSent";
    public static final String EVENT_SEND_FAILURES = "eventSendFailures";

    private final long seed;
    private final Random apiRandom;
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    private FaultSettings settings;

    Faults(long seed, FaultSettings initial) {
        this.seed = seed;
        // API-level faults draw from one stream in call order: the same calls in the same order meet the same faults.
        this.apiRandom = new Random(seed ^ 0x5DEECE66DL);
        this.settings = initial.copy();
    }

    public synchronized FaultSettings settings() {
        return settings.copy();
    }

    public synchronized void update(FaultSettings newSettings) {
        this.settings = newSettings.copy();
    }

    public synchronized void set(String key, double percent) {
        settings.set(key, percent);
    }

    public long count(String counter) {
        AtomicLong c = counters.get(counter);
        return c == null ? 0 : c.get();
    }

    public Map<String, Long> counts() {
        Map<String, Long> m = new TreeMap<>();
        for (String k : new String[] {THROTTLED, INTERNAL_ERRORS, CAPACITY_FAILURES, SPOT_INTERRUPTIONS, EVENTS_DUPLICATED,
                EVENTS_REORDERED, EVENTS_DELAYED, EVENTS_DROPPED, RATE_LIMITED, QUOTA_REJECTED, EVENTS_SENT,
                EVENT_SEND_FAILURES}) {
            m.put(k, count(k));
        }
        return m;
    }

    void increment(String counter) {
        counters.computeIfAbsent(counter, k -> new AtomicLong()).incrementAndGet();
    }

    /** One draw from the API fault stream; true with the given switch's probability. */
    synchronized boolean apiFault(String key) {
        double p = settings.percent(key);
        double draw = apiRandom.nextDouble() * 100;
        return p > 0 && draw < p;
    }

    /** A decision for one job or event, independent of timing: derived from the seed and a stable identity. */
    boolean decide(String key, String identity) {
        double p;
        synchronized (this) {
            p = settings.percent(key);
        }
        if (p <= 0) return false;
        return Seeds.random(seed, identity, key).nextDouble() * 100 < p;
    }

    /** The self-test switch ({@link FaultSettings#BREAK_PROMISE_VALUES}). */
    synchronized String breakPromise() {
        return settings.breakPromise();
    }

    synchronized long eventDelayMillis() {
        return settings.eventDelayMillis();
    }
}
