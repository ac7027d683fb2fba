package io.sagebench.monitor.app;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.sagebench.monitor.repository.TrackedJob;
import io.sagebench.platform.tracing.Traceparent;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * One design = one trace. SageMaker's events carry no trace context, so each job's states are traced under the
 * traceparent of the RunLaunched that announced the job (stored on the tracked job), whichever way the state arrived.
 */
@ApplicationScoped
public class JobSpans {

    private final Tracer tracer;

    public JobSpans(Tracer tracer) {
        this.tracer = tracer;
    }

    /** Learning a launch from bench.launches, under the launch record's traceparent. */
    public Span startLaunchSpan(String recordTraceparent, String jobName, String runId, String designId, String cellId) {
        return attributes(tracer.spanBuilder("monitor learn launch").setSpanKind(SpanKind.CONSUMER)
                .setParent(Traceparent.parent(recordTraceparent)), jobName, runId, designId, cellId).startSpan();
    }

    /** Publishing one state of {@code job}, under the job's stored traceparent (a new trace without one). */
    public Span startStateSpan(TrackedJob job, String source) {
        return attributes(tracer.spanBuilder("bench.job-states publish").setSpanKind(SpanKind.PRODUCER)
                        .setParent(Traceparent.parent(job.traceparent)), job.jobName, job.runId, job.designId, job.cellId)
                .setAttribute("sagebench.job_status", job.status)
                .setAttribute("sagebench.job_state_source", source)
                .startSpan();
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
