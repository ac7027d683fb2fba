package io.sagebench.results.messaging;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.sagebench.results.domain.RunPlan;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

/**
 * One design = one trace. Work done later from stored state (finishing a run when its job ends) is traced under the
 * traceparent stored with the run's RunPlanned, not under whatever record happened to trigger it.
 */
@ApplicationScoped
public class RunTracing {

    private static final TextMapGetter<String> STORED = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of(Traceparents.HEADER);
        }

        @Override
        public String get(String carrier, String key) {
            return Traceparents.HEADER.equals(key) ? carrier : null;
        }
    };

    @Inject
    Tracer tracer;

    /** A span for finishing {@code plan}'s run, child of the stored traceparent (or of the current context without one). */
    public Span startRunSpan(String name, String storedTraceparent, RunPlan plan, String trainingJobName) {
        Context parent = storedTraceparent == null ? Context.current()
                : W3CTraceContextPropagator.getInstance().extract(Context.root(), storedTraceparent, STORED);
        return tracer.spanBuilder(name).setParent(parent).setSpanKind(SpanKind.INTERNAL)
                .setAttribute("sagebench.design_id", plan.designId())
                .setAttribute("sagebench.run_id", plan.runId())
                .setAttribute("sagebench.cell_id", plan.cellId())
                .setAttribute("sagebench.job_name", trainingJobName)
                .startSpan();
    }

    /**
     * The traceparent to publish with what the span produced: the span's own when tracing is on, else the stored one
     * (with the SDK off the span is a no-op, and the design's trace still travels on).
     */
    public static String traceparentOf(Span span, String fallback) {
        SpanContext c = span.getSpanContext();
        if (!c.isValid()) {
            return fallback;
        }
        return "00-" + c.getTraceId() + "-" + c.getSpanId() + "-" + c.getTraceFlags().asHex();
    }
}
