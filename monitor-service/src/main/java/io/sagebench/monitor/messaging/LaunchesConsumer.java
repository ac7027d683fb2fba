package io.sagebench.monitor.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebench.monitor.domain.EventParser;
import io.sagebench.monitor.domain.RunIdentity;
import io.sagebench.monitor.health.MonitorCounters;
import io.sagebench.monitor.repository.ProcessedEvent;
import io.sagebench.monitor.repository.TrackedJob;
import io.sagebench.monitor.repository.TrackedJobRepository;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Instant;

/**
 * Learns every launched job from bench.launches (RunLaunched), so a job whose events are all lost is still reconciled,
 * and its run, design and attempt are known even without tags. A record that cannot be read throws, and the
 * connector dead-letters it to bench.dlq.monitor-service with the reason in `dead-letter-reason`.
 */
@ApplicationScoped
public class LaunchesConsumer {

    private static final Logger LOG = Logger.getLogger(LaunchesConsumer.class);
    static final String RUN_LAUNCHED = "RunLaunched";

    private final ObjectMapper mapper;
    private final TrackedJobRepository jobs;
    private final MonitorCounters counters;

    public LaunchesConsumer(ObjectMapper mapper, TrackedJobRepository jobs, MonitorCounters counters) {
        this.mapper = mapper;
        this.jobs = jobs;
        this.counters = counters;
    }

    @Incoming("launches")
    @Blocking
    @Transactional
    public void consume(ConsumerRecord<String, String> record) throws Exception {
        String eventType = KafkaHeaders.text(record.headers(), KafkaHeaders.EVENT_TYPE);
        // Without an event-type header a record is read as the topic's main event.
        if (eventType != null && !RUN_LAUNCHED.equals(eventType)) {
            return; // RunLaunchFailed / RunDeferred: no job exists to watch
        }
        String eventId = KafkaHeaders.text(record.headers(), KafkaHeaders.EVENT_ID);
        String key = eventId != null ? "kafka:" + eventId
                : "kafka:" + record.topic() + "-" + record.partition() + "-" + record.offset();
        if (ProcessedEvent.seen(key)) {
            return;
        }
        if (record.value() == null) {
            throw new IllegalArgumentException("RunLaunched record has no value");
        }
        JsonNode launch = mapper.readTree(record.value());
        if (launch == null || !launch.isObject()) {
            throw new IllegalArgumentException("RunLaunched is not a JSON object");
        }
        String jobName = text(launch, "trainingJobName");
        if (jobName == null || jobName.isBlank()) {
            throw new IllegalArgumentException("RunLaunched has no trainingJobName");
        }
        Integer attempt = launch.hasNonNull("attempt") && launch.get("attempt").canConvertToInt()
                ? launch.get("attempt").asInt() : null;
        RunIdentity identity = new RunIdentity(text(launch, "runId"), text(launch, "designId"), attempt);

        Instant now = Instant.now();
        TrackedJob job = jobs.ensureAndLock(jobName, now);
        // bench.launches fills in only what the job's own events (tags, name) have not already told us.
        RunIdentity merged = job.identity().orElse(identity);
        job.runId = merged.runId();
        job.designId = merged.designId();
        job.attempt = merged.attempt();
        if (job.jobArn == null) {
            job.jobArn = text(launch, "trainingJobArn");
        }
        if (job.launchedAt == null) {
            job.launchedAt = EventParser.instantOrNull(launch.get("launchedAt"));
            if (job.launchedAt == null) {
                job.launchedAt = now;
            }
        }
        ProcessedEvent.remember(key, now);
        counters.increment(MonitorCounters.LAUNCHES);
        LOG.debugf("learned launch of %s (run %s)", jobName, job.runId);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || !v.isValueNode() ? null : v.asText();
    }
}
