package io.sagebench.launcher.messaging;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * One trace per design (docs/architecture.md): the RunPlanned record's W3C traceparent is kept with the launch, and
 * every record published for the run later continues it, also when the SDK is off (then the stored traceparent is
 * passed on as it came).
 */
@ApplicationScoped
public class Tracing {
    public static final AttributeKey<String> DESIGN_ID = AttributeKey.stringKey("sagebench.design_id");
    public static final AttributeKey<String> RUN_ID = AttributeKey.stringKey("sagebench.run_id");
    public static final AttributeKey<String> CELL_ID = AttributeKey.stringKey("sagebench.cell_id");
    public static final AttributeKey<String> JOB_NAME = AttributeKey.stringKey("sagebench.job_name");
    public static final String HEADER = "traceparent";

    private static final TextMapGetter<Map<String, String>> MAP_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    @Inject
    Tracer tracer;

    /**
     * A span continuing {@code parentTraceparent}; when a span is already current in the same trace (the Kafka
     * connector's consumer span) it becomes the parent instead, so the tree keeps every hop.
     */
    public Span start(String name, SpanKind kind, String parentTraceparent) {
        Context parent = Context.current();
        SpanContext current = Span.current().getSpanContext();
        SpanContext stored = parse(parentTraceparent);
        if (stored.isValid() && (!current.isValid() || !current.getTraceId().equals(stored.getTraceId()))) {
            parent = Context.root().with(Span.wrap(stored));
        }
        return tracer.spanBuilder(name).setSpanKind(kind).setParent(parent).startSpan();
    }

    /**
     * The traceparent to publish a run's event with: the current span's when it belongs to the run's trace (or the
     * run has none), else the run's stored one. Null if neither exists.
     */
    public static String continuing(String stored) {
        SpanContext current = Span.current().getSpanContext();
        SpanContext run = parse(stored);
        if (current.isValid() && (!run.isValid() || current.getTraceId().equals(run.getTraceId()))) {
            return format(current);
        }
        return run.isValid() ? stored : null;
    }

    static SpanContext parse(String traceparent) {
        if (traceparent == null || traceparent.isBlank()) {
            return SpanContext.getInvalid();
        }
        Context extracted = W3CTraceContextPropagator.getInstance()
                .extract(Context.root(), Map.of(HEADER, traceparent), MAP_GETTER);
        return Span.fromContext(extracted).getSpanContext();
    }

    static String format(SpanContext context) {
        return "00-" + context.getTraceId() + "-" + context.getSpanId() + "-" + context.getTraceFlags().asHex();
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
