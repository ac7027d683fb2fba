package io.sagebench.results.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebench.contracts.EventType;
import io.sagebench.platform.inbox.TransientRetry;
import io.sagebench.platform.tracing.LogContext;
import io.sagebench.results.app.EventRecorder;
import io.sagebench.results.app.RunFinisher;
import io.sagebench.results.domain.CancelRequest;
import io.sagebench.results.domain.PlannedRun;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** bench.runs: RunPlanned (finishing runs whose jobs ended before their plan came) and RunCancelRequested. */
@ApplicationScoped
public class RunsConsumer {

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

    @Incoming("runs")
    @Blocking
    public void onRun(ConsumerRecord<String, String> record) {
        incoming.handle(record, () -> {
            EventEnvelope env = EventEnvelope.read(record, EventType.RunPlanned.name(), json);
            switch (env.eventType()) {
                case "RunPlanned" -> {
                    PlannedRun planned = IncomingEvents.runPlanned(env.body());
                    try (LogContext log = LogContext.of(planned.plan().designId(), planned.plan().runId())) {
                        finisher.finishAll(retry.call("RunPlanned " + env.eventId(),
                                () -> recorder.recordRunPlanned(env.delivery(), planned)));
                    }
                }
                case "RunCancelRequested" -> {
                    CancelRequest cancel = IncomingEvents.runCancelRequested(env.body());
                    try (LogContext log = LogContext.of(cancel.designId(), cancel.runId())) {
                        retry.run("RunCancelRequested " + env.eventId(),
                                () -> recorder.recordCancel(env.delivery(), cancel));
                    }
                }
                default -> incoming.skip(env);
            }
        });
    }
}
