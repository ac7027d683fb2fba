package io.sagebench.monitor.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebench.monitor.config.MonitorConfig;
import io.sagebench.monitor.domain.EventParser;
import io.sagebench.monitor.domain.ParseOutcome;
import io.sagebench.monitor.domain.RunIdentity;
import io.sagebench.monitor.domain.TrainingJobEvent;
import io.sagebench.monitor.domain.UnparseableEventException;
import io.sagebench.monitor.domain.Verdict;
import io.sagebench.monitor.health.MonitorCounters;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Handles one SQS message body. Returning normally means the message is done with (published, dropped as duplicate,
 * regression or foreign, or dead-lettered) and may be deleted; an exception means it must stay on the queue and be
 * redelivered (Kafka or the database is unavailable).
 */
@ApplicationScoped
public class QueueMessageHandler {

    private static final Logger LOG = Logger.getLogger(QueueMessageHandler.class);

    public enum Outcome { PUBLISHED, DUPLICATE, REGRESSION, FOREIGN, DEAD_LETTERED }

    private final EventParser parser;
    private final StateChangeRecorder recorder;
    private final DeadLetterPublisher deadLetters;
    private final MonitorCounters counters;
    private final MonitorConfig config;

    public QueueMessageHandler(ObjectMapper mapper, MonitorConfig config, StateChangeRecorder recorder,
                               DeadLetterPublisher deadLetters, MonitorCounters counters) {
        this.parser = new EventParser(mapper, config.jobNamePrefix(), config.expectedAccount());
        this.recorder = recorder;
        this.deadLetters = deadLetters;
        this.counters = counters;
        this.config = config;
    }

    public Outcome handle(String messageId, String body) {
        counters.increment(MonitorCounters.RECEIVED);
        ParseOutcome parsed;
        try {
            parsed = parser.parse(body);
        } catch (UnparseableEventException e) {
            LOG.warnf("dead-lettering SQS message %s: %s", messageId, e.getMessage());
            deadLetters.deadLetterAndAwait(messageId, body, e.getMessage(), config.queueUrl());
            counters.increment(MonitorCounters.DEAD_LETTERED);
            return Outcome.DEAD_LETTERED;
        }
        if (parsed instanceof ParseOutcome.Foreign foreign) {
            LOG.debugf("dropping SQS message %s: %s", messageId, foreign.reason());
            counters.increment(MonitorCounters.FOREIGN);
            return Outcome.FOREIGN;
        }
        TrainingJobEvent event = ((ParseOutcome.Ours) parsed).event();
        Verdict verdict = recorder.recordEvent(event.observation(), event.jobArn(), RunIdentity.fromTags(event.tags()),
                event.eventId());
        LOG.debugf("%s %s/%s at %s: %s", event.jobName(), event.status(), event.secondaryStatus(),
                event.lastModifiedTime(), verdict);
        return switch (verdict) {
            case ACCEPT -> Outcome.PUBLISHED;
            case DUPLICATE -> Outcome.DUPLICATE;
            case REGRESSION -> Outcome.REGRESSION;
        };
    }
}
