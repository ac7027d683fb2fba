package io.sagebench.monitor.messaging;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.sagebench.contracts.EventType;
import io.sagebench.contracts.Headers;
import io.sagebench.contracts.ids.Ids;
import io.sagebench.monitor.app.JobSpans;
import io.sagebench.monitor.app.LaunchLearning;
import io.sagebench.monitor.app.EventParser;
import io.sagebench.monitor.domain.LaunchedJob;
import io.sagebench.monitor.domain.RunIdentity;
import io.sagebench.monitor.app.MonitorMetrics;
import io.sagebench.platform.inbox.InfrastructureFailure;
import io.sagebench.platform.inbox.TransientRetry;
import io.sagebench.platform.tracing.LogContext;
import io.sagebench.platform.tracing.Traceparent;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Learns every launched job from bench.launches (RunLaunched), so a job whose events are all lost is still reconciled,
 * its run, design, cell and attempt are known even without tags, and its states travel in the design's trace (the
 * record's traceparent is stored on the job). A record that cannot be read throws, and the sagebench-triage strategy
 * dead-letters it to bench.dlq.monitor-service with the reason in `dead-letter-reason`; the database failing past the
 * retry budget leaves it unacknowledged for redelivery instead.
 */
@ApplicationScoped
public class LaunchesConsumer {

    private final ObjectMapper mapper;
    private final LaunchLearning learning;
    private final TransientRetry retry;
    private final MonitorMetrics metrics;
    private final JobSpans spans;

    public LaunchesConsumer(ObjectMapper mapper, LaunchLearning learning, TransientRetry retry, MonitorMetrics metrics,
                            JobSpans spans) {
        this.mapper = mapper;
        this.learning = learning;
        this.retry = retry;
        this.metrics = metrics;
        this.spans = spans;
    }

    @Incoming("launches")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        String eventType = header(record, Headers.EVENT_TYPE);
        // Without an event-type header a record is read as the topic's main event.
        if (eventType != null && !EventType.RunLaunched.name().equals(eventType)) {
            metrics.consumed(record.topic(), MonitorMetrics.CONSUMED_PROCESSED); // no job to watch
            return;
        }
        String eventId = header(record, Headers.EVENT_ID);
        String key = eventId != null ? "kafka:" + eventId
                : "kafka:" + record.topic() + "-" + record.partition() + "-" + record.offset();
        String recordTraceparent = Traceparent.valid(header(record, Headers.TRACEPARENT));
        Span span = null;
        LogContext log = null;
        try {
            LaunchedJob launch = parse(record.value());
            log = LogContext.of(launch.identity().designId(), launch.identity().runId()).with("jobName", launch.jobName());
            span = spans.startLaunchSpan(recordTraceparent, launch.jobName(), launch.identity().runId(),
                    launch.identity().designId(), launch.cellId());
            String traceparent = Traceparent.of(span, recordTraceparent);
            boolean learned = retry.call("RunLaunched " + key, () -> learning.learn(key, launch, traceparent));
            metrics.consumed(record.topic(), learned ? MonitorMetrics.CONSUMED_PROCESSED : MonitorMetrics.CONSUMED_DUPLICATE);
        } catch (RuntimeException e) {
            if (span != null) {
                span.setStatus(StatusCode.ERROR, e.getMessage());
            }
            metrics.consumed(record.topic(), InfrastructureFailure.in(e) ? MonitorMetrics.CONSUMED_UNACKNOWLEDGED
                    : MonitorMetrics.CONSUMED_DEAD_LETTERED);
            throw e;
        } finally {
            if (span != null) {
                span.end();
            }
            if (log != null) {
                log.close();
            }
        }
    }

    /** @throws IllegalArgumentException for a record that is not a usable RunLaunched (it is dead-lettered) */
    LaunchedJob parse(String value) {
        if (value == null) {
            throw new IllegalArgumentException("RunLaunched record has no value");
        }
        JsonNode launch;
        try {
            launch = mapper.readTree(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("RunLaunched is not JSON: " + e.getOriginalMessage());
        }
        if (launch == null || !launch.isObject()) {
            throw new IllegalArgumentException("RunLaunched is not a JSON object");
        }
        String jobName = text(launch, "trainingJobName");
        if (jobName == null || jobName.isBlank()) {
            throw new IllegalArgumentException("RunLaunched has no trainingJobName");
        }
        Integer attempt = launch.hasNonNull("attempt") && launch.get("attempt").canConvertToInt()
                ? launch.get("attempt").asInt() : null;
        String cellId = text(launch, "cellId");
        return new LaunchedJob(jobName, new RunIdentity(text(launch, "runId"), text(launch, "designId"), attempt),
                Ids.isCellId(cellId) ? cellId : null, text(launch, "trainingJobArn"),
                EventParser.instantOrNull(launch.get("launchedAt")));
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header h = record.headers() == null ? null : record.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || !v.isValueNode() ? null : v.asText();
    }
}
