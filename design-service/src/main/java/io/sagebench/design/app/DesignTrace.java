package io.sagebench.design.app;

import org.jboss.logging.MDC;

import io.opentelemetry.api.trace.Span;
import io.sagebench.platform.tracing.LogContext;

/**
 * Names the design in hand on the current span ({@code sagebench.design_id}) and in the log lines (the MDC field of
 * {@link LogContext}) once it is known, mid-request; the entry point (the consumer's LogContext, the HTTP request's
 * end) clears it.
 */
final class DesignTrace {

    static final String SPAN_ATTRIBUTE = "sagebench.design_id";

    private DesignTrace() {
    }

    static void name(String designId) {
        if (designId == null) {
            return;
        }
        MDC.put(LogContext.DESIGN_ID, designId);
        Span.current().setAttribute(SPAN_ATTRIBUTE, designId);
    }
}
