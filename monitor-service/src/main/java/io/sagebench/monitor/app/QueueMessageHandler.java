package io.sagebench.monitor.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebench.monitor.config.MonitorConfig;
import io.sagebench.monitor.domain.ParseOutcome;
import io.sagebench.monitor.domain.TrainingJobEvent;
import io.sagebench.monitor.domain.UnparseableEventException;
import io.sagebench.monitor.domain.Verdict;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.sqs.model.Message;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Handles one batch of SQS messages and says which of them are done with (published, dropped as duplicate, regression
 * or foreign, or dead-lettered with Kafka's acknowledgement) and may be deleted. A message not in the answer must stay
 * on the queue and be redelivered (Kafka or the database is unavailable).
 */
@ApplicationScoped
public class QueueMessageHandler {

    private static final Logger LOG = Logger.getLogger(QueueMessageHandler.class);
    private static final long DEAD_LETTER_ACK_TIMEOUT_SECONDS = 30;

    private final EventParser parser;
    private final JobStateJudge judge;
    private final DeadLetterSender deadLetters;
    private final MonitorMetrics metrics;
    private final MonitorConfig config;

    public QueueMessageHandler(ObjectMapper mapper, MonitorConfig config, JobStateJudge judge,
                               DeadLetterSender deadLetters, MonitorMetrics metrics) {
        this.parser = new EventParser(mapper, config.jobNamePrefix(), config.expectedAccount());
        this.judge = judge;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.config = config;
    }

    /** @return the messages that may be deleted, in the order received */
    public List<Message> handleBatch(List<Message> messages) {
        List<Message> done = new ArrayList<>();
        List<Message> ours = new ArrayList<>();
        List<TrainingJobEvent> events = new ArrayList<>();
        List<Message> deadLettered = new ArrayList<>();
        List<CompletableFuture<Void>> deadLetterAcks = new ArrayList<>();
        for (Message m : messages) {
            metrics.received(MonitorMetrics.SOURCE_SQS);
            ParseOutcome parsed;
            try {
                parsed = parser.parse(m.body());
            } catch (UnparseableEventException e) {
                LOG.warnf("dead-lettering SQS message %s: %s", m.messageId(), e.getMessage());
                deadLettered.add(m);
                deadLetterAcks.add(deadLetters.deadLetter(m.messageId(), m.body(), e.getMessage(), config.queueUrl()));
                continue;
            }
            if (parsed instanceof ParseOutcome.Foreign foreign) {
                LOG.debugf("dropping SQS message %s: %s", m.messageId(), foreign.reason());
                metrics.dropped(MonitorMetrics.DROP_UNKNOWN_JOB);
                done.add(m);
            } else {
                ours.add(m);
                events.add(((ParseOutcome.Ours) parsed).event());
            }
        }
        if (!events.isEmpty()) {
            try {
                // One transaction for the batch: every accepted state sent, every acknowledgement awaited, then commit.
                List<Verdict> verdicts = judge.recordEvents(events);
                done.addAll(ours);
                // counted after the commit: a batch rolled back is counted when it is redelivered and recorded
                verdicts.forEach(this::count);
            } catch (RuntimeException e) {
                LOG.errorf(e, "recording %d state changes failed; their messages stay on the queue", events.size());
            }
        }
        for (int i = 0; i < deadLettered.size(); i++) {
            try {
                deadLetterAcks.get(i).get(DEAD_LETTER_ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                metrics.dropped(MonitorMetrics.DROP_UNPARSEABLE);
                done.add(deadLettered.get(i));
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                LOG.errorf("dead-lettering SQS message %s was not acknowledged (%s); it stays on the queue",
                        deadLettered.get(i).messageId(), e.toString());
            }
        }
        return done;
    }

    private void count(Verdict verdict) {
        switch (verdict) {
            case ACCEPT -> metrics.published(MonitorMetrics.SOURCE_SQS);
            case DUPLICATE -> metrics.dropped(MonitorMetrics.DROP_DUPLICATE);
            case REGRESSION -> metrics.dropped(MonitorMetrics.DROP_REGRESSION);
        }
    }
}
