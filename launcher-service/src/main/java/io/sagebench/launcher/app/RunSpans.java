package io.sagebench.launcher.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.sagebench.platform.tracing.Traceparent;

/**
 * The spans of a run, in the design's trace: the RunPlanned record's traceparent is kept with the launch, and every
 * record published for the run later continues it, also when the SDK is off (the stored value then travels as it came).
 */
@ApplicationScoped
public class RunSpans {
    public static final AttributeKey<String> DESIGN_ID = AttributeKey.stringKey("sagebench.design_id");
    public static final AttributeKey<String> RUN_ID = AttributeKey.stringKey("sagebench.run_id");
    public static final AttributeKey<String> CELL_ID = AttributeKey.stringKey("sagebench.cell_id");
    public static final AttributeKey<String> JOB_NAME = AttributeKey.stringKey("sagebench.job_name");

    @Inject
    Tracer tracer;

    /**
     * A span continuing {@code parentTraceparent}; when a span is already current in the same trace (the Kafka
     * connector's consumer span) it becomes the parent instead, so the tree keeps every hop.
     */
    public Span start(String name, SpanKind kind, String parentTraceparent) {
        Context parent = Context.current();
        SpanContext current = Span.current().getSpanContext();
        Context stored = Traceparent.parent(parentTraceparent);
        SpanContext storedSpan = Span.fromContext(stored).getSpanContext();
        if (storedSpan.isValid() && (!current.isValid() || !current.getTraceId().equals(storedSpan.getTraceId()))) {
            parent = stored;
        }
        return tracer.spanBuilder(name).setSpanKind(kind).setParent(parent).startSpan();
    }

    /**
     * The traceparent to publish a run's event with: the current span's when it belongs to the run's trace (or the
     * run has none), else the run's stored one. Null if neither exists.
     */
    public static String continuing(String stored) {
        SpanContext current = Span.current().getSpanContext();
        String run = Traceparent.valid(stored);
        if (current.isValid() && (run == null || current.getTraceId().equals(Traceparent.traceId(run)))) {
            return Traceparent.of(current);
        }
        return run;
    }

    /** Puts the run's ids on a span (no-op for a non-recording one). */
    public static void describe(Span span, String designId, String runId, String cellId, String jobName) {
        if (designId != null) {
            span.setAttribute(DESIGN_ID, designId);
        }
        if (runId != null) {
            span.setAttribute(RUN_ID, runId);
        }
        if (cellId != null) {
            span.setAttribute(CELL_ID, cellId);
        }
        if (jobName != null) {
            span.setAttribute(JOB_NAME, jobName);
        }
    }
}
