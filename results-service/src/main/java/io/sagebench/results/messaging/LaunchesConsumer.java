package io.sagebench.results.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebench.contracts.EventType;
import io.sagebench.platform.inbox.TransientRetry;
import io.sagebench.platform.tracing.LogContext;
import io.sagebench.results.app.EventRecorder;
import io.sagebench.results.app.RunFinisher;
import io.sagebench.results.domain.AttemptEnded;
import io.sagebench.results.domain.LaunchNews;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * bench.launches: RunLaunched, RunLaunchFailed and RunDeferred (a run's launch), and RunAttemptEnded (the launcher's
 * verdict on an ended attempt, which may finish its run now).
 */
@ApplicationScoped
public class LaunchesConsumer {

    @Inject
    ObjectMapper json;
    @Inject
    IncomingRecords incoming;
    @Inject
    TransientRetry retry;
    @Inject
    EventRecorder recorder;
    @Inject
    RunFinisher finisher;

    @Incoming("launches")
    @Blocking
    public void onLaunch(ConsumerRecord<String, String> record) {
        incoming.handle(record, () -> {
            EventEnvelope env = EventEnvelope.read(record, EventType.RunLaunched.name(), json);
            switch (env.eventType()) {
                case "RunLaunched", "RunLaunchFailed", "RunDeferred" -> {
                    LaunchNews launch = IncomingEvents.launch(env.eventType(), env.body());
                    try (LogContext log = LogContext.of(launch.designId(), launch.runId())) {
                        retry.run(env.eventType() + " " + env.eventId(),
                                () -> recorder.recordLaunch(env.delivery(), launch));
                    }
                }
                case "RunAttemptEnded" -> {
                    AttemptEnded ended = IncomingEvents.attemptEnded(env.body());
                    try (LogContext log = LogContext.of(ended.designId(), ended.runId())) {
                        retry.call("RunAttemptEnded " + env.eventId(),
                                () -> recorder.recordAttemptEnded(env.delivery(), ended)).ifPresent(finisher::finish);
                    }
                }
                default -> incoming.skip(env);
            }
        });
    }
}
