package io.sagebench.design.messaging;

/** The topics design-service reads and writes (docs/architecture.md). */
public final class Topics {
    public static final String DESIGNS = "bench.designs";
    public static final String DESIGN_STATUS = "bench.design-status";
    public static final String RUNS = "bench.runs";
    public static final String RESULTS = "bench.results";
    public static final String DEAD_LETTER = "bench.dlq.design-service";

    private Topics() {
    }
}
