package io.sagebench.monitor.messaging;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sagebench.monitor.config.MonitorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Long-polls the events queue on its own thread, from startup to shutdown. A message is deleted only after its
 * handling returned (the state change acknowledged by Kafka and committed, or the message dropped or dead-lettered);
 * a message whose handling failed stays and comes back after the visibility timeout. The queue being unreachable (for
 * instance ElasticMQ not started yet) is logged and retried with backoff; the loop never dies.
 */
@ApplicationScoped
public class SqsEventPoller {

    private static final Logger LOG = Logger.getLogger(SqsEventPoller.class);

    private final SqsClient sqs;
    private final QueueMessageHandler handler;
    private final MonitorConfig config;

    private volatile boolean running;
    private volatile boolean receiving;
    private volatile Instant lastReceiveOk;
    private volatile String lastError = "not polled yet";
    private Thread thread;
    private final Object wake = new Object();

    public SqsEventPoller(SqsClient sqs, QueueMessageHandler handler, MonitorConfig config) {
        this.sqs = sqs;
        this.handler = handler;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.pollerEnabled()) {
            LOG.info("SQS poller disabled (sagebench.monitor.poller-enabled=false)");
            return;
        }
        running = true;
        thread = new Thread(this::pollLoop, "sqs-event-poller");
        thread.start();
        LOG.infof("polling %s (wait %s, up to %d messages)", config.queueUrl(), config.waitTime(), config.maxMessages());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (thread == null) {
            return;
        }
        synchronized (wake) {
            running = false;
            wake.notifyAll();
        }
        if (receiving) {
            // Only a long poll is cut short; a batch being handled finishes, so no acknowledged state is left undeleted.
            thread.interrupt();
        }
        try {
            thread.join(config.waitTime().plusSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean enabled() {
        return config.pollerEnabled();
    }

    /** When the last receive succeeded (null if none yet). */
    public Instant lastReceiveOk() {
        return lastReceiveOk;
    }

    public String lastError() {
        return lastError;
    }

    private void pollLoop() {
        Duration backoff = config.backoffMin();
        while (running) {
            List<Message> messages;
            try {
                receiving = true;
                messages = sqs.receiveMessage(ReceiveMessageRequest.builder()
                        .queueUrl(config.queueUrl())
                        .maxNumberOfMessages(Math.min(10, Math.max(1, config.maxMessages())))
                        .waitTimeSeconds((int) Math.min(20, config.waitTime().toSeconds()))
                        .visibilityTimeout((int) config.visibilityTimeout().toSeconds())
                        .build()).messages();
                receiving = false;
                lastReceiveOk = Instant.now();
                lastError = null;
                backoff = config.backoffMin();
            } catch (RuntimeException e) {
                receiving = false;
                if (!running) {
                    break;
                }
                lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
                LOG.warnf("cannot receive from %s (%s); retrying in %s", config.queueUrl(), lastError, backoff);
                sleep(backoff);
                backoff = min(backoff.multipliedBy(2), config.backoffMax());
                continue;
            }
            if (!messages.isEmpty()) {
                handleBatch(messages);
            }
        }
        LOG.info("SQS poller stopped");
    }

    private void handleBatch(List<Message> messages) {
        List<DeleteMessageBatchRequestEntry> done = new ArrayList<>();
        for (Message m : messages) {
            try {
                handler.handle(m.messageId(), m.body());
                done.add(DeleteMessageBatchRequestEntry.builder().id(m.messageId()).receiptHandle(m.receiptHandle()).build());
            } catch (RuntimeException e) {
                // Kafka or the database is failing: leave this message (and the rest, which would fail alike) to be
                // redelivered after the visibility timeout.
                LOG.errorf(e, "handling SQS message %s failed; it stays on the queue", m.messageId());
                sleep(config.backoffMin());
                break;
            }
        }
        delete(done);
    }

    private void delete(List<DeleteMessageBatchRequestEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        try {
            DeleteMessageBatchResponse response = sqs.deleteMessageBatch(b -> b.queueUrl(config.queueUrl()).entries(entries));
            // An undeleted message is redelivered and then dropped as a duplicate: safe, only wasteful.
            response.failed().forEach(f -> LOG.warnf("could not delete SQS message %s: %s", f.id(), f.message()));
        } catch (RuntimeException e) {
            LOG.warnf("could not delete %d SQS messages (%s); they will be redelivered and dropped as duplicates",
                    entries.size(), e.getMessage());
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** A backoff pause that shutdown cuts short. */
    private void sleep(Duration d) {
        synchronized (wake) {
            if (!running) {
                return;
            }
            try {
                wake.wait(Math.max(1, d.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }
}
