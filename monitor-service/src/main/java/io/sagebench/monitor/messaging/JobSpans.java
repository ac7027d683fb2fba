package io.sagebench.monitor.messaging;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.sagebench.monitor.repository.TrackedJob;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One design = one trace. SageMaker's events carry no trace context, so each job's states are traced under the
 * traceparent of the RunLaunched that announced the job (stored on the tracked job), whichever way the state arrived.
 */
@ApplicationScoped
public class JobTracing {

    /** The Kafka header (W3C trace context, version 00). */
    public static final String HEADER = "traceparent";
    private static final Pattern FORMAT = Pattern.compile("^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$");
    private static final String ZERO_TRACE = "0".repeat(32);
    private static final String ZERO_SPAN = "0".repeat(16);

    private static final TextMapGetter<String> STORED = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of(HEADER);
        }

        @Override
        public String get(String carrier, String key) {
            return HEADER.equals(key) ? carrier : null;
        }
    };

    private final Tracer tracer;

    public JobTracing(Tracer tracer) {
        this.tracer = tracer;
    }

    /** The value if it is a well-formed traceparent of a real trace, else null (a bad header starts no trace). */
    public static String valid(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        return FORMAT.matcher(v).matches() && !v.substring(3, 35).equals(ZERO_TRACE) && !v.substring(36, 52).equals(ZERO_SPAN)
                ? v : null;
    }

    /** Learning a launch from bench.launches, under the launch record's traceparent. */
    public Span startLaunchSpan(String recordTraceparent, String jobName, String runId, String designId, String cellId) {
        return attributes(tracer.spanBuilder("monitor learn launch").setSpanKind(SpanKind.CONSUMER)
                .setParent(parent(recordTraceparent)), jobName, runId, designId, cellId).startSpan();
    }

    /** Publishing one state of {@code job}, under the job's stored traceparent (a new trace without one). */
    public Span startStateSpan(TrackedJob job, String source) {
        return attributes(tracer.spanBuilder("bench.job-states publish").setSpanKind(SpanKind.PRODUCER)
                        .setParent(parent(job.traceparent)), job.jobName, job.runId, job.designId, job.cellId)
                .setAttribute("sagebench.job_status", job.status)
                .setAttribute("sagebench.job_state_source", source)
                .startSpan();
    }

    /**
     * The traceparent to send with what the span produced: the span's own when tracing is on, else the stored one (with
     * the SDK off the span is a no-op, and the design's trace still travels on).
     */
    public static String traceparentOf(Span span, String fallback) {
        SpanContext c = span.getSpanContext();
        if (!c.isValid()) {
            return fallback;
        }
        return "00-" + c.getTraceId() + "-" + c.getSpanId() + "-" + c.getTraceFlags().asHex();
    }

    private static Context parent(String traceparent) {
        // Context.root(), not the current one: the SQS poller's and the scheduler's threads carry no design's context.
        return traceparent == null ? Context.root()
                : W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, STORED);
    }

    private static SpanBuilder attributes(SpanBuilder b, String jobName, String runId, String designId, String cellId) {
        b.setAttribute("sagebench.job_name", jobName);
        if (runId != null) {
            b.setAttribute("sagebench.run_id", runId);
        }
        if (designId != null) {
            b.setAttribute("sagebench.design_id", designId);
        }
        if (cellId != null) {
            b.setAttribute("sagebench.cell_id", cellId);
        }
        return b;
    }
}
