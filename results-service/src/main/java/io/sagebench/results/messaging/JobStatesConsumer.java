package io.sagebench.results.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebench.contracts.EventType;
import io.sagebench.platform.db.LeakedTransactions;
import io.sagebench.platform.inbox.TransientRetry;
import io.sagebench.results.app.Delivery;
import io.sagebench.results.app.EventRecorder;
import io.sagebench.results.app.RunFinisher;
import io.sagebench.results.domain.JobState;
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
 * bench.job-states in batches (up to max.poll.records): the states of a batch are stored in one transaction and the
 * runs they end are finished together, so a burst costs a few commits instead of several per run. A record that
 * cannot be read is dead-lettered on its own and the rest of the batch goes on (the channel's failure strategy would
 * dead-letter the whole batch); if the batch's transaction fails for good, its records are applied one by one and
 * only the ones that fail are dead-lettered.
 */
@ApplicationScoped
public class JobStatesConsumer {

    private static final Logger LOG = Logger.getLogger(JobStatesConsumer.class);

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

    @Incoming("job-states")
    @Blocking
    public void onJobStates(ConsumerRecords<String, String> records) {
        LeakedTransactions.discard(); // a handler runs outside any transaction
        List<Map.Entry<Delivery, JobState>> states = new ArrayList<>(records.count());
        List<ConsumerRecord<String, String>> sources = new ArrayList<>(records.count());
        for (ConsumerRecord<String, String> record : records) {
            try {
                EventEnvelope env = EventEnvelope.read(record, EventType.TrainingJobStateChanged.name(), json);
                if (!EventType.TrainingJobStateChanged.name().equals(env.eventType())) {
                    incoming.skip(env);
                    continue;
                }
                states.add(Map.entry(env.delivery(), IncomingEvents.jobState(env.body())));
                sources.add(record);
            } catch (RuntimeException e) { // unreadable: InvalidEventException, or a value that does not parse
                incoming.deadLetter(record, e);
            }
        }
        if (states.isEmpty()) {
            return;
        }
        List<String> ended;
        long t0 = System.nanoTime();
        try {
            ended = retry.call(states.size() + " job states", () -> recorder.recordJobStates(states));
        } catch (RuntimeException batchFailed) {
            if (incoming.leaveUnacknowledged(sources.get(0), batchFailed)) {
                throw batchFailed; // failure-strategy=fail: the batch stays unacknowledged, redelivered after restart
            }
            LOG.warnf("%d job states failed together, applying them one by one: %s", states.size(),
                    batchFailed.toString());
            ended = new ArrayList<>();
            for (int i = 0; i < states.size(); i++) {
                Map.Entry<Delivery, JobState> s = states.get(i);
                try {
                    retry.call("job state " + s.getKey().eventId(),
                            () -> recorder.recordJobState(s.getKey(), s.getValue())).ifPresent(ended::add);
                } catch (RuntimeException e) {
                    if (incoming.leaveUnacknowledged(sources.get(i), e)) {
                        throw e; // the ones before it are stored; redelivered, they are recognised by event id
                    }
                    incoming.deadLetter(sources.get(i), e);
                }
            }
        }
        LOG.debugf("%d job state(s) stored in %d ms", states.size(), (System.nanoTime() - t0) / 1_000_000);
        finisher.finishAll(ended.stream().distinct().toList());
    }
}
