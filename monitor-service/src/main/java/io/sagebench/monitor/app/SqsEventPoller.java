package io.sagebench.monitor.app;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sagebench.monitor.config.MonitorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Long-polls the events queue on its own thread, from startup to shutdown. When the queue is busy, several receives
 * are gathered into one batch; the batch is handled at once (its Kafka sends in flight together, acknowledgements
 * awaited, then one commit), and only then are its messages deleted. A message whose handling failed stays and comes
 * back after the visibility timeout. The queue being unreachable (for instance ElasticMQ not started yet) is logged
 * and retried with backoff; the loop never dies.
 */
@ApplicationScoped
public class SqsEventPoller {

    private static final Logger LOG = Logger.getLogger(SqsEventPoller.class);
    private static final int SQS_MAX_BATCH = 10;

    private final SqsClient sqs;
    private final QueueMessageHandler handler;
    private final MonitorConfig config;

    private volatile boolean running;
    private volatile boolean receiving;
    private volatile Instant lastReceiveOk;
    private volatile String lastError = "not polled yet";
    private Thread thread;
    private ExecutorService io;
    private ExecutorService deletes;
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
        start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    /** Starts polling (a no-op if already polling). */
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        running = true;
        io = Executors.newFixedThreadPool(Math.max(1, config.receivesPerBatch()) + 2, r -> {
            Thread t = new Thread(r, "sqs-event-poller-io");
            t.setDaemon(true);
            return t;
        });
        deletes = Executors.newFixedThreadPool(Math.max(1, config.receivesPerBatch()), r -> {
            Thread t = new Thread(r, "sqs-event-poller-delete");
            t.setDaemon(true);
            return t;
        });
        thread = new Thread(this::pollLoop, "sqs-event-poller");
        thread.start();
        LOG.infof("polling %s (wait %s, up to %d x %d messages per batch)", config.queueUrl(), config.waitTime(),
                config.receivesPerBatch(), maxPerReceive());
    }

    /**
     * Stops polling and returns once the loop ended. Only a long poll is cut short; a batch being handled finishes
     * (sent, acknowledged, committed, deleted), so no acknowledged state is left undeleted.
     */
    public synchronized void stop() {
        if (thread == null) {
            return;
        }
        synchronized (wake) {
            running = false;
            wake.notifyAll();
        }
        if (receiving) {
            thread.interrupt();
        }
        try {
            thread.join(config.waitTime().plusSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        io.shutdownNow();
        deletes.shutdownNow();
        thread = null;
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

    private int maxPerReceive() {
        return Math.min(SQS_MAX_BATCH, Math.max(1, config.maxMessages()));
    }

    private void pollLoop() {
        Duration backoff = config.backoffMin();
        CompletableFuture<List<Message>> prefetched = null;
        CompletableFuture<Void> deleting = CompletableFuture.completedFuture(null);
        while (running) {
            List<Message> messages;
            try {
                if (prefetched != null) {
                    messages = prefetched.join();
                    prefetched = null;
                } else {
                    receiving = true;
                    messages = receiveBatch((int) Math.min(20, config.waitTime().toSeconds()));
                    receiving = false;
                }
                lastReceiveOk = Instant.now();
                lastError = null;
                backoff = config.backoffMin();
            } catch (RuntimeException e) {
                receiving = false;
                prefetched = null;
                if (!running) {
                    break;
                }
                lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
                LOG.warnf("cannot receive from %s (%s); retrying in %s", config.queueUrl(), lastError, backoff);
                sleep(backoff);
                backoff = min(backoff.multipliedBy(2), config.backoffMax());
                continue;
            }
            if (messages.isEmpty()) {
                continue;
            }
            if (messages.size() >= maxPerReceive() && running) {
                // The queue is busy: receive the next batch while this one is handled. It is handled only after this
                // one committed, on this thread, so a job's changes are still applied in order.
                prefetched = CompletableFuture.supplyAsync(() -> receiveBatch(0), io);
            }
            List<Message> done = handleBatch(messages);
            // At most one round of deletes in flight, overlapping the next batch's work; each follows its own commit.
            deleting.join();
            deleting = CompletableFuture.runAsync(() -> delete(done), io);
        }
        deleting.join();
        if (prefetched != null) {
            release(prefetched);
        }
        LOG.info("SQS poller stopped");
    }

    /** A long poll, and when it came back full, more receives at once without waiting. */
    private List<Message> receiveBatch(int waitSeconds) {
        List<Message> messages = receive(waitSeconds);
        if (messages.size() == maxPerReceive() && config.receivesPerBatch() > 1) {
            messages = new ArrayList<>(messages);
            messages.addAll(receiveMore(config.receivesPerBatch() - 1));
        }
        return messages;
    }

    /** Prefetched messages not handled because we are stopping: visible again at once, not after the timeout. */
    private void release(CompletableFuture<List<Message>> prefetched) {
        List<Message> messages;
        try {
            messages = prefetched.join();
        } catch (RuntimeException e) {
            return;
        }
        for (int from = 0; from < messages.size(); from += SQS_MAX_BATCH) {
            List<ChangeMessageVisibilityBatchRequestEntry> entries = messages
                    .subList(from, Math.min(messages.size(), from + SQS_MAX_BATCH)).stream()
                    .map(m -> ChangeMessageVisibilityBatchRequestEntry.builder().id(m.messageId())
                            .receiptHandle(m.receiptHandle()).visibilityTimeout(0).build()).toList();
            try {
                sqs.changeMessageVisibilityBatch(b -> b.queueUrl(config.queueUrl()).entries(entries));
            } catch (RuntimeException e) {
                LOG.debugf("could not release %d prefetched messages (%s); they return after the visibility timeout",
                        entries.size(), e.getMessage());
            }
        }
    }

    private List<Message> receive(int waitSeconds) {
        return sqs.receiveMessage(ReceiveMessageRequest.builder()
                .queueUrl(config.queueUrl())
                .maxNumberOfMessages(maxPerReceive())
                .waitTimeSeconds(waitSeconds)
                .visibilityTimeout((int) config.visibilityTimeout().toSeconds())
                .build()).messages();
    }

    /** More receives at once, without waiting: the queue just proved busy. A failed one only makes the batch smaller. */
    private List<Message> receiveMore(int receives) {
        List<CompletableFuture<List<Message>>> pending = new ArrayList<>();
        for (int i = 0; i < receives; i++) {
            pending.add(CompletableFuture.supplyAsync(() -> receive(0), io)
                    .exceptionally(e -> {
                        LOG.debugf("extra receive failed: %s", e.getMessage());
                        return List.of();
                    }));
        }
        List<Message> more = new ArrayList<>();
        pending.forEach(p -> more.addAll(p.join()));
        return more;
    }

    private List<Message> handleBatch(List<Message> messages) {
        List<Message> done;
        try {
            done = handler.handleBatch(messages);
        } catch (RuntimeException e) {
            LOG.errorf(e, "handling %d SQS messages failed; they stay on the queue", messages.size());
            done = List.of();
        }
        if (done.size() < messages.size()) {
            // Kafka or the database is failing: give it a moment before the next receive.
            sleep(config.backoffMin());
        }
        return done;
    }

    /** Deletes in chunks of ten (the SQS maximum), the chunks at once. */
    private void delete(List<Message> done) {
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (int from = 0; from < done.size(); from += SQS_MAX_BATCH) {
            List<DeleteMessageBatchRequestEntry> entries = done.subList(from, Math.min(done.size(), from + SQS_MAX_BATCH))
                    .stream().map(m -> DeleteMessageBatchRequestEntry.builder().id(m.messageId())
                            .receiptHandle(m.receiptHandle()).build()).toList();
            pending.add(CompletableFuture.runAsync(() -> deleteChunk(entries), deletes));
        }
        pending.forEach(CompletableFuture::join);
    }

    private void deleteChunk(List<DeleteMessageBatchRequestEntry> entries) {
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
