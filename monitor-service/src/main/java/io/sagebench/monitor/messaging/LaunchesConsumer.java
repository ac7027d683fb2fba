package io.sagebench.monitor.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.sagebench.monitor.app.LaunchLearning;
import io.sagebench.monitor.domain.EventParser;
import io.sagebench.monitor.domain.LaunchedJob;
import io.sagebench.monitor.domain.RunIdentity;
import io.sagebench.monitor.health.MonitorMetrics;
import io.sagebench.platform.inbox.InfrastructureFailure;
import io.sagebench.platform.inbox.TransientRetry;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;


/**
 * Learns every launched job from bench.launches (RunLaunched), so a job whose events are all lost is still reconciled,
 * its run, design, cell and attempt are known even without tags, and its states travel in the design's trace (the
 * record's traceparent is stored on the job). A record that cannot be read throws, and the sagebench-triage strategy
 * dead-letters it to bench.dlq.monitor-service with the reason in `dead-letter-reason`; the database failing past the
 * retry budget leaves it unacknowledged for redelivery instead.
 */
@ApplicationScoped
public class LaunchesConsumer {

    private static final Logger LOG = Logger.getLogger(LaunchesConsumer.class);
    static final String RUN_LAUNCHED = "RunLaunched";

    private final ObjectMapper mapper;
    private final LaunchLearning learning;
    private final TransientRetry retry;
    private final MonitorMetrics metrics;
    private final JobTracing tracing;

    public LaunchesConsumer(ObjectMapper mapper, LaunchLearning learning, TransientRetry retry, MonitorMetrics metrics,
                            JobTracing tracing) {
        this.mapper = mapper;
        this.learning = learning;
        this.retry = retry;
        this.metrics = metrics;
        this.tracing = tracing;
    }

    @Incoming("launches")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        String eventType = KafkaHeaders.text(record.headers(), KafkaHeaders.EVENT_TYPE);
        // Without an event-type header a record is read as the topic's main event.
        if (eventType != null && !RUN_LAUNCHED.equals(eventType)) {
            metrics.consumed(record.topic(), MonitorMetrics.CONSUMED_PROCESSED); // no job to watch
            return;
        }
        String eventId = KafkaHeaders.text(record.headers(), KafkaHeaders.EVENT_ID);
        String key = eventId != null ? "kafka:" + eventId
                : "kafka:" + record.topic() + "-" + record.partition() + "-" + record.offset();
        String recordTraceparent = JobTracing.valid(KafkaHeaders.text(record.headers(), JobTracing.HEADER));
        Span span = null;
        try {
            LaunchedJob launch = parse(record.value());
            MDC.put("jobName", launch.jobName());
            if (launch.identity().runId() != null) {
                MDC.put("runId", launch.identity().runId());
            }
            if (launch.identity().designId() != null) {
                MDC.put("designId", launch.identity().designId());
            }
            span = tracing.startLaunchSpan(recordTraceparent, launch.jobName(), launch.identity().runId(),
                    launch.identity().designId(), launch.cellId());
            String traceparent = JobTracing.traceparentOf(span, recordTraceparent);
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
            MDC.remove("jobName");
            MDC.remove("runId");
            MDC.remove("designId");
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
        return new LaunchedJob(jobName, new RunIdentity(text(launch, "runId"), text(launch, "designId"), attempt),
                StateChangeRecorder.validCellId(text(launch, "cellId")), text(launch, "trainingJobArn"),
                EventParser.instantOrNull(launch.get("launchedAt")));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || !v.isValueNode() ? null : v.asText();
    }
}
