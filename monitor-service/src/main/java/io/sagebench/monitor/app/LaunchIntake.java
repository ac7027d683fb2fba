package io.sagebench.monitor.app;

import jakarta.enterprise.context.ApplicationScoped;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.sagebench.monitor.domain.LaunchedJob;
import io.sagebench.platform.inbox.InfrastructureFailure;
import io.sagebench.platform.inbox.TransientRetry;
import io.sagebench.platform.tracing.LogContext;
import io.sagebench.platform.tracing.Traceparent;

/**
 * Takes in one RunLaunched: under a span of the record's trace, learns it in its own transaction ({@link LaunchLearning},
 * retried while the database fails transiently), and counts the outcome on {@code sagebench.events.consumed}.
 */
@ApplicationScoped
public class LaunchIntake {

    private final LaunchLearning learning;
    private final TransientRetry retry;
    private final JobSpans spans;
    private final MonitorMetrics metrics;

    public LaunchIntake(LaunchLearning learning, TransientRetry retry, JobSpans spans, MonitorMetrics metrics) {
        this.learning = learning;
        this.retry = retry;
        this.spans = spans;
        this.metrics = metrics;
    }

    /**
     * @param key               the record's dedupe key
     * @param recordTraceparent the record's valid traceparent, or null
     * @throws RuntimeException an {@link InfrastructureFailure} past the retry budget (left for redelivery), anything
     *                          else for a record that cannot be learned (dead-lettered)
     */
    public void learn(String topic, String key, LaunchedJob launch, String recordTraceparent) {
        Span span = spans.startLaunchSpan(recordTraceparent, launch.jobName(), launch.identity().runId(),
                launch.identity().designId(), launch.cellId());
        try (LogContext log = LogContext.of(launch.identity().designId(), launch.identity().runId())
                .with("jobName", launch.jobName())) {
            String traceparent = Traceparent.of(span, recordTraceparent);
            boolean learned = retry.call("RunLaunched " + key, () -> learning.learn(key, launch, traceparent));
            metrics.consumed(topic, learned ? MonitorMetrics.CONSUMED_PROCESSED : MonitorMetrics.CONSUMED_DUPLICATE);
        } catch (RuntimeException e) {
            span.setStatus(StatusCode.ERROR, e.getMessage());
            metrics.consumed(topic, InfrastructureFailure.in(e) ? MonitorMetrics.CONSUMED_UNACKNOWLEDGED
                    : MonitorMetrics.CONSUMED_DEAD_LETTERED);
            throw e;
        } finally {
            span.end();
        }
    }

    /** A record of the topic that announces no job (another event type): nothing to learn. */
    public void ignore(String topic) {
        metrics.consumed(topic, MonitorMetrics.CONSUMED_PROCESSED);
    }

    /** A record that is not a usable RunLaunched; the caller's failure strategy dead-letters it. */
    public void unreadable(String topic) {
        metrics.consumed(topic, MonitorMetrics.CONSUMED_DEAD_LETTERED);
    }
}
