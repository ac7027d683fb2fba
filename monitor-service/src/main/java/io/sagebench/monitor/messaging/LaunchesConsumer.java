package io.sagebench.monitor.messaging;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebench.contracts.EventType;
import io.sagebench.contracts.Headers;
import io.sagebench.monitor.app.LaunchIntake;
import io.sagebench.monitor.domain.LaunchedJob;
import io.sagebench.platform.tracing.Traceparent;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * bench.launches: every RunLaunched teaches the monitor a launched job. A record that cannot be read throws, and the
 * sagebench-triage strategy dead-letters it to bench.dlq.monitor-service with the reason in `dead-letter-reason`; the
 * database failing past the retry budget leaves it unacknowledged for redelivery instead.
 */
@ApplicationScoped
public class LaunchesConsumer {

    private final RunLaunchedReader reader;
    private final LaunchIntake intake;

    public LaunchesConsumer(ObjectMapper mapper, LaunchIntake intake) {
        this.reader = new RunLaunchedReader(mapper);
        this.intake = intake;
    }

    @Incoming("launches")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        String eventType = header(record, Headers.EVENT_TYPE);
        // Without an event-type header a record is read as the topic's main event.
        if (eventType != null && !EventType.RunLaunched.name().equals(eventType)) {
            intake.ignore(record.topic());
            return;
        }
        String eventId = header(record, Headers.EVENT_ID);
        String key = eventId != null ? "kafka:" + eventId
                : "kafka:" + record.topic() + "-" + record.partition() + "-" + record.offset();
        LaunchedJob launch;
        try {
            launch = reader.read(record.value());
        } catch (RuntimeException e) {
            intake.unreadable(record.topic());
            throw e;
        }
        intake.learn(record.topic(), key, launch, Traceparent.valid(header(record, Headers.TRACEPARENT)));
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header h = record.headers() == null ? null : record.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
