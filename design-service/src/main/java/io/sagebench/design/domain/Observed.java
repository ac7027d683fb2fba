package io.sagebench.design.domain;

import io.opentelemetry.api.trace.Span;
import org.jboss.logging.MDC;

/** Names the design in hand in the log lines (MDC {@code designId}) and on the current span (docs/operations.md). */
public final class Observed {

    public static final String DESIGN_ID = "designId";

    private Observed() {
    }

    public static void design(String designId) {
        if (designId == null) {
            return;
        }
        MDC.put(DESIGN_ID, designId);
        Span.current().setAttribute("sagebench.design_id", designId);
    }

    /** Called when the request or record is done: pooled threads must not carry the last design into the next. */
    public static void clear() {
        MDC.remove(DESIGN_ID);
    }
}
