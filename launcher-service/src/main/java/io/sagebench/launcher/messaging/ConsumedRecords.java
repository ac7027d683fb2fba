package io.sagebench.launcher.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.sagebench.launcher.app.LauncherMetrics;
import io.sagebench.platform.inbox.InfrastructureFailure;
import io.sagebench.platform.tracing.LogContext;

/** How every launcher consumer handles a record: in its span, counted by outcome, the log context cleared after. */
@ApplicationScoped
public class ConsumedRecords {

    /** A record's handler: true when it was applied, false for a duplicate. */
    public interface Handler {
        boolean handle() throws Exception;
    }

    @Inject
    LauncherMetrics metrics;

    /**
     * Runs the handler in {@code span} (ended here; {@link Span#getInvalid()} for none) and counts
     * sagebench.events.consumed. A failure is rethrown for the sagebench-triage failure strategy: a bad record is
     * dead-lettered with its reason and the next one follows; an InfrastructureFailure leaves it unacknowledged for
     * redelivery after the restart.
     */
    public void observe(String topic, Span span, Handler handler) throws Exception {
        try (LogContext ignored = LogContext.of(null, null); Scope current = span.makeCurrent()) {
            metrics.consumed(topic, handler.handle() ? "processed" : "duplicate");
        } catch (Exception e) {
            metrics.consumed(topic, InfrastructureFailure.in(e) ? "unacknowledged" : "dead-lettered");
            span.recordException(e);
            throw e;
        } finally {
            span.end();
        }
    }
}
