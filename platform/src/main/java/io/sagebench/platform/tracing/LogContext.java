package io.sagebench.platform.tracing;

import java.util.ArrayList;
import java.util.List;

import org.jboss.logging.MDC;

/**
 * designId and runId in the logging MDC while an event or a run is handled (JSON logs carry them as fields); closing it
 * clears what it set, so a worker thread never logs the previous record's ids.
 */
public final class LogContext implements AutoCloseable {

    public static final String DESIGN_ID = "designId";
    public static final String RUN_ID = "runId";

    private final List<String> keys = new ArrayList<>(List.of(DESIGN_ID, RUN_ID));

    private LogContext() {
    }

    public static LogContext of(String designId, String runId) {
        put(DESIGN_ID, designId);
        put(RUN_ID, runId);
        return new LogContext();
    }

    /** Adds another field (a job name, say) until close. */
    public LogContext with(String key, String value) {
        put(key, value);
        keys.add(key);
        return this;
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    @Override
    public void close() {
        keys.forEach(MDC::remove);
    }
}
