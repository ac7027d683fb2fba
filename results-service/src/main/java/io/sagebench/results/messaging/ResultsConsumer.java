package io.sagebench.results.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebench.contracts.EventType;
import io.sagebench.platform.db.LeakedTransactions;
import io.sagebench.platform.db.TransientDatabaseFailures;
import io.sagebench.platform.inbox.InfrastructureFailure;
import io.sagebench.platform.inbox.TransientRetry;
import io.sagebench.platform.tracing.LogContext;
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
 * The four incoming channels. A record that cannot be applied is dead-lettered to bench.dlq.results-service with the
 * reason in the headers ({@link DeadLetters}), and the next record is processed. A failure of the infrastructure
 * (database connection lost, deadlock) is retried ({@link TransientRetry}); if it persists the record is left
 * unacknowledged (failure-strategy=fail) so Kafka redelivers it after the restart. Events of other types on the same topics are not for us and are skipped.
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
    @Inject
    TransientRetry retry;

    @Incoming("runs")
    @Blocking
    public void onRun(ConsumerRecord<String, String> record) {
        deadLetteredIfThrows(record, () -> {
            EventEnvelope env = EventEnvelope.read(record, "RunPlanned", json);
            switch (env.eventType()) {
                case "RunPlanned" -> {
                    IncomingEvents.PlannedRun planned = IncomingEvents.runPlanned(env.body());
                    try (LogContext log = LogContext.of(planned.plan().designId(), planned.plan().runId())) {
                        finisher.finishAll(retry.call("RunPlanned " + env.eventId(), () -> ledger.recordRunPlanned(env, planned)));
                    }
                }
                case "RunCancelRequested" -> {
                    IncomingEvents.CancelRequest cancel = IncomingEvents.runCancelRequested(env.body());
                    try (LogContext log = LogContext.of(cancel.designId(), cancel.runId())) {
                        retry.run("RunCancelRequested " + env.eventId(), () -> ledger.recordCancel(env, cancel));
                    }
                }
                default -> skip(env);
            }
        });
    }

    /**
     * Runs a handler of a single-record channel. A bad record (what the handler throws that is not an infrastructure
     * failure) is dead-lettered here, with the reason, and the next record is processed. A failure of the service's
     * own infrastructure that outlasted {@link TransientRetry} (or any failure while shutting down) is rethrown: the
     * channel's failure-strategy=fail stops it without acknowledging the record, so Kafka redelivers it after the
     * restart (liveness reports the stopped channel).
     */
    private void deadLetteredIfThrows(ConsumerRecord<String, String> record, Runnable handler) {
        LeakedTransactions.discard(); // a handler runs outside any transaction
        try {
            handler.run();
        } catch (RuntimeException e) {
            if (leaveUnacknowledged(record, e)) {
                throw e;
            }
            LOG.warnf("dead-lettering %s-%d@%d: %s", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            deadLetters.send(record, e);
        }
    }

    private boolean leaveUnacknowledged(ConsumerRecord<String, String> record, RuntimeException e) {
        if (InfrastructureFailure.in(e) || retry.shuttingDown() || Thread.currentThread().isInterrupted()
                || TransientDatabaseFailures.isTransient(e)) {
            LOG.errorf(e, "%s-%d@%d failed for a reason of the infrastructure (%s): not acknowledged, Kafka "
                    + "redelivers it after the restart", record.topic(), record.partition(), record.offset(),
                    e.toString());
            return true;
        }
        return false;
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
                retry.run("DesignAccepted " + env.eventId(), () -> ledger.recordDesignAccepted(env, accepted));
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
                        retry.run(env.eventType() + " " + env.eventId(), () -> ledger.recordLaunch(env, launch));
                    }
                }
                case "RunAttemptEnded" -> {
                    IncomingEvents.AttemptEnded ended = IncomingEvents.attemptEnded(env.body());
                    try (LogContext log = LogContext.of(ended.designId(), ended.runId())) {
                        retry.call("RunAttemptEnded " + env.eventId(), () -> ledger.recordAttemptEnded(env, ended))
                                .ifPresent(finisher::finish);
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
        LeakedTransactions.discard(); // a handler runs outside any transaction
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
            ended = retry.call(states.size() + " job states", () -> ledger.recordJobStates(states));
        } catch (RuntimeException batchFailed) {
            if (leaveUnacknowledged(sources.get(0), batchFailed)) {
                throw batchFailed; // failure-strategy=fail: the batch stays unacknowledged, redelivered after restart
            }
            LOG.warnf("%d job states failed together, applying them one by one: %s", states.size(),
                    batchFailed.toString());
            ended = new ArrayList<>();
            for (int i = 0; i < states.size(); i++) {
                Map.Entry<EventEnvelope, IncomingEvents.JobState> s = states.get(i);
                try {
                    retry.call("job state " + s.getKey().eventId(), () -> ledger.recordJobState(s.getKey(), s.getValue()))
                            .ifPresent(ended::add);
                } catch (RuntimeException e) {
                    if (leaveUnacknowledged(sources.get(i), e)) {
                        throw e; // the ones before it are stored; redelivered, they are recognised by event id
                    }
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
