package io.sagebench.results.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * The four incoming channels. A record that cannot be applied throws, which dead-letters it to
 * bench.dlq.results-service with the reason in the headers (failure-strategy=dead-letter-queue), and the next record
 * is processed. Events of other types on the same topics are not for us and are skipped.
 */
@ApplicationScoped
public class ResultsConsumer {

    private static final Logger LOG = Logger.getLogger(ResultsConsumer.class);

    @Inject
    ObjectMapper json;
    @Inject
    RunLedger ledger;
    @Inject
    RunFinisher finisher;

    @Incoming("runs")
    @Blocking
    public void onRun(ConsumerRecord<String, String> record) {
        EventEnvelope env = EventEnvelope.read(record, "RunPlanned", json);
        switch (env.eventType()) {
            case "RunPlanned" -> {
                IncomingEvents.PlannedRun planned = IncomingEvents.runPlanned(env.body());
                TransientRetry.call(() -> ledger.recordRunPlanned(env, planned)).forEach(finisher::finish);
            }
            case "RunCancelRequested" -> {
                IncomingEvents.CancelRequest cancel = IncomingEvents.runCancelRequested(env.body());
                TransientRetry.run(() -> ledger.recordCancel(env, cancel));
            }
            default -> skip(env);
        }
    }

    @Incoming("design-status")
    @Blocking
    public void onDesignStatus(ConsumerRecord<String, String> record) {
        EventEnvelope env = EventEnvelope.read(record, "DesignAccepted", json);
        if (!"DesignAccepted".equals(env.eventType())) {
            skip(env);
            return;
        }
        IncomingEvents.DesignAccepted accepted = IncomingEvents.designAccepted(env.body());
        TransientRetry.run(() -> ledger.recordDesignAccepted(env, accepted));
    }

    @Incoming("launches")
    @Blocking
    public void onLaunch(ConsumerRecord<String, String> record) {
        EventEnvelope env = EventEnvelope.read(record, "RunLaunched", json);
        switch (env.eventType()) {
            case "RunLaunched", "RunLaunchFailed", "RunDeferred" -> {
                IncomingEvents.Launch launch = IncomingEvents.launch(env.eventType(), env.body());
                TransientRetry.run(() -> ledger.recordLaunch(env, launch));
            }
            case "RunAttemptEnded" -> {
                IncomingEvents.AttemptEnded ended = IncomingEvents.attemptEnded(env.body());
                TransientRetry.call(() -> ledger.recordAttemptEnded(env, ended)).ifPresent(finisher::finish);
            }
            default -> skip(env);
        }
    }

    @Incoming("job-states")
    @Blocking
    public void onJobState(ConsumerRecord<String, String> record) {
        EventEnvelope env = EventEnvelope.read(record, "TrainingJobStateChanged", json);
        if (!"TrainingJobStateChanged".equals(env.eventType())) {
            skip(env);
            return;
        }
        IncomingEvents.JobState state = IncomingEvents.jobState(env.body());
        TransientRetry.call(() -> ledger.recordJobState(env, state)).ifPresent(finisher::finish);
    }

    private static void skip(EventEnvelope env) {
        LOG.debugf("skipping %s %s on %s", env.eventType(), env.eventId(), env.topic());
    }
}
