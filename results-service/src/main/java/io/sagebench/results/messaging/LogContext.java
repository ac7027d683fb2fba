package io.sagebench.results.messaging;

import org.jboss.logging.MDC;

/** designId / runId in the logging MDC while an event or a run is handled (JSON logs carry them as fields). */
final class LogContext implements AutoCloseable {

    private LogContext() {
    }

    static LogContext of(String designId, String runId) {
        put("designId", designId);
        put("runId", runId);
        return new LogContext();
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
        MDC.remove("designId");
        MDC.remove("runId");
    }
}
