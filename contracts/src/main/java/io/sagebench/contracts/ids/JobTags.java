package io.sagebench.contracts.ids;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tags the launcher puts on every training job, so the monitor can tell which run (and design, cell and attempt)
 * a job belongs to, and continue the run's trace, without parsing its name.
 */
public final class JobTags {

    public static final String PREFIX = "sagebench:";
    public static final String DESIGN_ID = PREFIX + "design-id";
    public static final String RUN_ID = PREFIX + "run-id";
    public static final String CELL_ID = PREFIX + "cell-id";
    public static final String ATTEMPT = PREFIX + "attempt";
    public static final String TRACEPARENT = PREFIX + "traceparent";

    private JobTags() {
    }

    /** The tags of one attempt, in the order the launcher writes them; the trace context only when there is one. */
    public static Map<String, String> of(String designId, RunAttempt run, String cellId, String traceparent) {
        if (!Ids.isDesignId(designId) || !Ids.isCellId(cellId)) {
            throw new IllegalArgumentException("not a design id and cell id: '" + designId + "', '" + cellId + "'");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(DESIGN_ID, designId);
        tags.put(RUN_ID, run.runId());
        tags.put(CELL_ID, cellId);
        tags.put(ATTEMPT, Integer.toString(run.attempt()));
        if (traceparent != null && !traceparent.isBlank()) {
            tags.put(TRACEPARENT, traceparent);
        }
        return Collections.unmodifiableMap(tags);
    }
}
