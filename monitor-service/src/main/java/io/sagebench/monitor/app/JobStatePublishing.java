package io.sagebench.monitor.app;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.sagebench.monitor.config.MonitorConfig;
import io.sagebench.monitor.domain.JobStateChange;
import io.sagebench.monitor.domain.JobStatus;
import io.sagebench.monitor.repository.TrackedJob;
import io.sagebench.platform.tracing.Traceparent;

/**
 * Publishes a job's current state on bench.job-states, traced, and awaits Kafka's acknowledgements. It runs inside
 * {@link JobStateJudge}'s transaction: the acknowledgements are awaited before that transaction commits.
 */
@ApplicationScoped
public class JobStatePublishing {

    private final JobStateSender sender;
    private final JobSpans spans;
    private final MonitorConfig config;

    public JobStatePublishing(JobStateSender sender, JobSpans spans, MonitorConfig config) {
        this.sender = sender;
        this.spans = spans;
        this.config = config;
    }

    /**
     * Sends the job's current state under a span of the job's trace (the stored RunLaunched traceparent), the span's
     * traceparent in the record's header; the span ends with Kafka's answer.
     *
     * @return completes when Kafka acknowledged
     */
    public CompletableFuture<Void> publish(TrackedJob job, String source, String sourceEventId, String eventId) {
        Span span = spans.startStateSpan(job, source);
        String traceparent = Traceparent.of(span, job.traceparent);
        CompletableFuture<Void> acked;
        try {
            acked = sender.send(change(job, source, sourceEventId), eventId, traceparent);
        } catch (RuntimeException e) {
            span.setStatus(StatusCode.ERROR, e.getMessage()).end();
            throw e;
        }
        acked.whenComplete((ok, failure) -> {
            if (failure != null) {
                span.setStatus(StatusCode.ERROR, "not acknowledged by Kafka");
            }
            span.end();
        });
        return acked;
    }

    /** @throws IllegalStateException when Kafka did not acknowledge within the publish timeout */
    public void await(String jobName, CompletableFuture<Void> acked) {
        await(acked, "Kafka's acknowledgement", "Kafka did not acknowledge " + jobName);
    }

    /** @throws IllegalStateException when Kafka did not acknowledge every one within the publish timeout */
    public void awaitAll(List<CompletableFuture<Void>> acks) {
        await(CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)), "Kafka's acknowledgements",
                "Kafka did not acknowledge every state of the batch");
    }

    private void await(Future<Void> acked, String awaited, String notAcknowledged) {
        try {
            acked.get(config.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while awaiting " + awaited, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(notAcknowledged, e);
        }
    }

    private static JobStateChange change(TrackedJob job, String source, String sourceEventId) {
        return new JobStateChange(job.jobName, job.jobArn, job.identity(), job.cellId, JobStatus.valueOf(job.status),
                job.secondaryStatus, job.lastModifiedTime, job.failureReason, source, sourceEventId);
    }
}
