package io.sagebench.emulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How often the emulator misbehaves, each as a percentage 0..100 of the calls, launches or events it applies to.
 * Names are the JSON keys of the admin endpoint ({@code /_emulator/faults}).
 */
public final class FaultSettings {

    /** Every fault switch, in the order the admin endpoint reports them. */
    public static final List<String> PERCENT_KEYS = List.of(
            "throttlePercent",          // any API call answered with ThrottlingException "Rate exceeded"
            "internalErrorPercent",     // any API call answered with HTTP 500 InternalFailure
            "capacityFailurePercent",   // a created job fails in Starting with an insufficient-capacity CapacityError
            "spotInterruptionPercent",  // a spot job is interrupted once while training, then restarts
            "duplicateEventPercent",    // an event is delivered twice
            "reorderEventPercent",      // an event is held back and delivered after the job's next event
            "delayEventPercent",        // an event is delivered after eventDelayMillis (real time)
            "dropEventPercent");        // an event is never delivered

    /**
     * Self-test switch of the chaos suite (docs/reliability.md): makes the emulator break a promise that AWS keeps, so
     * the suite can show it notices. {@code none} (default); {@code duplicate-create}: every CreateTrainingJob is
     * processed twice and a second, silent job with the same name runs (and bills) beside the first, as if a retried
     * request had created another job; {@code never-end}: jobs created while it is on never reach their end, neither in
     * events nor in DescribeTrainingJob.
     */
    public static final List<String> BREAK_PROMISE_VALUES = List.of("none", "duplicate-create", "never-end");

    private final Map<String, Double> percents = new LinkedHashMap<>();
    private long eventDelayMillis = 2000;
    private String breakPromise = "none";

    public FaultSettings() {
        PERCENT_KEYS.forEach(k -> percents.put(k, 0.0));
    }

    public FaultSettings copy() {
        FaultSettings c = new FaultSettings();
        c.percents.putAll(percents);
        c.eventDelayMillis = eventDelayMillis;
        c.breakPromise = breakPromise;
        return c;
    }

    public double percent(String key) {
        Double v = percents.get(key);
        if (v == null) throw new IllegalArgumentException("unknown fault '" + key + "'; known: " + PERCENT_KEYS);
        return v;
    }

    public FaultSettings set(String key, double percent) {
        List<String> problems = new ArrayList<>();
        check(key, percent, problems);
        if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
        percents.put(key, percent);
        return this;
    }

    static void check(String key, double percent, List<String> problems) {
        if (!PERCENT_KEYS.contains(key)) {
            problems.add("unknown fault '" + key + "'; known: " + PERCENT_KEYS + ", eventDelayMillis, breakPromise");
        } else if (!(percent >= 0 && percent <= 100)) {
            problems.add(key + " must be a number from 0 to 100, got " + percent);
        }
    }

    public long eventDelayMillis() { return eventDelayMillis; }

    public FaultSettings eventDelayMillis(long millis) {
        if (millis < 0) throw new IllegalArgumentException("eventDelayMillis must be >= 0: " + millis);
        this.eventDelayMillis = millis;
        return this;
    }

    public String breakPromise() { return breakPromise; }

    /** See {@link #BREAK_PROMISE_VALUES}; for the chaos suite's self-test only. */
    public FaultSettings breakPromise(String value) {
        if (!BREAK_PROMISE_VALUES.contains(value)) {
            throw new IllegalArgumentException("breakPromise must be one of " + BREAK_PROMISE_VALUES + ", got '" + value + "'");
        }
        this.breakPromise = value;
        return this;
    }

    public FaultSettings throttlePercent(double p) { return set("throttlePercent", p); }
    public FaultSettings internalErrorPercent(double p) { return set("internalErrorPercent", p); }
    public FaultSettings capacityFailurePercent(double p) { return set("capacityFailurePercent", p); }
    public FaultSettings spotInterruptionPercent(double p) { return set("spotInterruptionPercent", p); }
    public FaultSettings duplicateEventPercent(double p) { return set("duplicateEventPercent", p); }
    public FaultSettings reorderEventPercent(double p) { return set("reorderEventPercent", p); }
    public FaultSettings delayEventPercent(double p) { return set("delayEventPercent", p); }
    public FaultSettings dropEventPercent(double p) { return set("dropEventPercent", p); }

    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>(percents);
        m.put("eventDelayMillis", eventDelayMillis);
        m.put("breakPromise", breakPromise);
        return m;
    }

    @Override
    public String toString() {
        return asMap().toString();
    }
}
