package io.sagebench.results.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The four incoming channels. A record that cannot be applied throws (job states: is dead-lettered by the batch), which dead-letters it to
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
    @Inject
    DeadLetters deadLetters;
    @Inject
    ResultsMetrics metrics;

    @Incoming("runs")
    @Blocking
    public void onRun(ConsumerRecord<String, String> record) {
        deadLetteredIfThrows(record, () -> {
            EventEnvelope env = EventEnvelope.read(record, "RunPlanned", json);
            switch (env.eventType()) {
                case "RunPlanned" -> {
                    IncomingEvents.PlannedRun planned = IncomingEvents.runPlanned(env.body());
                    try (LogContext log = LogContext.of(planned.plan().designId(), planned.plan().runId())) {
                        finisher.finishAll(TransientRetry.call(() -> ledger.recordRunPlanned(env, planned)));
                    }
                }
                case "RunCancelRequested" -> {
                    IncomingEvents.CancelRequest cancel = IncomingEvents.runCancelRequested(env.body());
                    try (LogContext log = LogContext.of(cancel.designId(), cancel.runId())) {
                        TransientRetry.run(() -> ledger.recordCancel(env, cancel));
                    }
                }
                default -> skip(env);
            }
        });
    }

    /**
     * Runs a handler of a single-record channel; what it throws makes the connector dead-letter the record
     * (failure-strategy=dead-letter-queue), so it is counted as dead-lettered here.
     */
    private void deadLetteredIfThrows(ConsumerRecord<String, String> record, Runnable handler) {
        try {
            handler.run();
        } catch (RuntimeException e) {
            metrics.consumed(record.topic(), "dead-lettered");
            throw e;
        }
    }

    @Incoming("design-status")
    @Blocking
    public void onDesignStatus(ConsumerRecord<String, String> record) {
        deadLetteredIfThrows(record, () -> {
            EventEnvelope env = EventEnvelope.read(record, "DesignAccepted", json);
            if (!"DesignAccepted".equals(env.eventType())) {
                skip(env);
                return;
            }
            IncomingEvents.DesignAccepted accepted = IncomingEvents.designAccepted(env.body());
            try (LogContext log = LogContext.of(accepted.designId(), null)) {
                TransientRetry.run(() -> ledger.recordDesignAccepted(env, accepted));
            }
        });
    }

    @Incoming("launches")
    @Blocking
    public void onLaunch(ConsumerRecord<String, String> record) {
        deadLetteredIfThrows(record, () -> {
            EventEnvelope env = EventEnvelope.read(record, "RunLaunched", json);
            switch (env.eventType()) {
                case "RunLaunched", "RunLaunchFailed", "RunDeferred" -> {
                    IncomingEvents.Launch launch = IncomingEvents.launch(env.eventType(), env.body());
                    try (LogContext log = LogContext.of(launch.designId(), launch.runId())) {
                        TransientRetry.run(() -> ledger.recordLaunch(env, launch));
                    }
                }
                case "RunAttemptEnded" -> {
                    IncomingEvents.AttemptEnded ended = IncomingEvents.attemptEnded(env.body());
                    try (LogContext log = LogContext.of(ended.designId(), ended.runId())) {
                        TransientRetry.call(() -> ledger.recordAttemptEnded(env, ended)).ifPresent(finisher::finish);
                    }
                }
                default -> skip(env);
            }
        });
    }

    /**
     * bench.job-states in batches (up to max.poll.records): the states of a batch are stored in one transaction and
     * the runs they end are finished together, so a burst costs a few commits instead of several per run. A record
     * that cannot be read is dead-lettered on its own and the rest of the batch goes on; if the batch's transaction
     * fails for good, its records are applied one by one and only the ones that fail are dead-lettered.
     */
    @Incoming("job-states")
    @Blocking
    public void onJobStates(ConsumerRecords<String, String> records) {
        List<Map.Entry<EventEnvelope, IncomingEvents.JobState>> states = new ArrayList<>(records.count());
        List<ConsumerRecord<String, String>> sources = new ArrayList<>(records.count());
        for (ConsumerRecord<String, String> record : records) {
            try {
                EventEnvelope env = EventEnvelope.read(record, "TrainingJobStateChanged", json);
                if (!"TrainingJobStateChanged".equals(env.eventType())) {
                    skip(env);
                    continue;
                }
                states.add(Map.entry(env, IncomingEvents.jobState(env.body())));
                sources.add(record);
            } catch (RuntimeException e) { // unreadable: InvalidEventException, or a value that does not parse
                LOG.warnf("dead-lettering %s-%d@%d: %s", record.topic(), record.partition(), record.offset(),
                        e.getMessage());
                deadLetters.send(record, e);
            }
        }
        if (states.isEmpty()) {
            return;
        }
        List<String> ended;
        long t0 = System.nanoTime();
        try {
            ended = TransientRetry.call(() -> ledger.recordJobStates(states));
        } catch (RuntimeException batchFailed) {
            LOG.warnf("%d job states failed together, applying them one by one: %s", states.size(),
                    batchFailed.toString());
            ended = new ArrayList<>();
            for (int i = 0; i < states.size(); i++) {
                Map.Entry<EventEnvelope, IncomingEvents.JobState> s = states.get(i);
                try {
                    TransientRetry.call(() -> ledger.recordJobState(s.getKey(), s.getValue())).ifPresent(ended::add);
                } catch (RuntimeException e) {
                    deadLetters.send(sources.get(i), e);
                }
            }
        }
        LOG.debugf("%d job state(s) stored in %d ms", states.size(), (System.nanoTime() - t0) / 1_000_000);
        finisher.finishAll(ended.stream().distinct().toList());
    }

    /** Another service's event on a shared topic: consumed, nothing to do. */
    private void skip(EventEnvelope env) {
        LOG.debugf("skipping %s %s on %s", env.eventType(), env.eventId(), env.topic());
        metrics.consumed(env.topic(), "processed");
    }
}
