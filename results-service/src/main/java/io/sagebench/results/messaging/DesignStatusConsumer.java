package io.sagebench.results.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebench.contracts.EventType;
import io.sagebench.platform.inbox.TransientRetry;
import io.sagebench.platform.tracing.LogContext;
import io.sagebench.results.app.EventRecorder;
import io.sagebench.results.domain.DesignAccepted;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** bench.design-status: DesignAccepted (how many runs a design has); the other statuses are not for us. */
@ApplicationScoped
public class DesignStatusConsumer {

    @Inject
    ObjectMapper json;
    @Inject
    IncomingRecords incoming;
    @Inject
    TransientRetry retry;
    @Inject
    EventRecorder recorder;

    @Incoming("design-status")
    @Blocking
    public void onDesignStatus(ConsumerRecord<String, String> record) {
        incoming.handle(record, () -> {
            EventEnvelope env = EventEnvelope.read(record, EventType.DesignAccepted.name(), json);
            if (!EventType.DesignAccepted.name().equals(env.eventType())) {
                incoming.skip(env);
                return;
            }
            DesignAccepted accepted = IncomingEvents.designAccepted(env.body());
            try (LogContext log = LogContext.of(accepted.designId(), null)) {
                retry.run("DesignAccepted " + env.eventId(),
                        () -> recorder.recordDesignAccepted(env.delivery(), accepted));
            }
        });
    }
}
