package io.sagebench.emulator;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The EventBridge rule's SQS target: sends each event body to the queue, applying the event faults (drop, duplicate,
 * reorder, delay). Sends happen on the scheduler thread; a failed send is retried with backoff (EventBridge retries a
 * target for up to 24 h), so an unavailable queue delays events but never loses them.
 */
final class EventDelivery implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(EventDelivery.class.getName());
    private static final long MAX_BACKOFF_MILLIS = 10_000;

    private static final class Pending {
        final String body;
        final long notBeforeNanos;

        Pending(String body, long notBeforeNanos) {
            this.body = body;
            this.notBeforeNanos = notBeforeNanos;
        }
    }

    private final SqsClient sqs;
    private final String queueUrl;
    private final Faults faults;
    private final List<Pending> pending = new ArrayList<>();
    private final Map<String, String> heldForReorder = new HashMap<>();
    private int consecutiveFailures;
    private long blockedUntilNanos;

    EventDelivery(URI endpoint, String queueUrl, String region, Faults faults) {
        this.queueUrl = queueUrl;
        this.faults = faults;
        this.sqs = SqsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(region))
                .credentialsProvider(credentials())
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2)).socketTimeout(Duration.ofSeconds(5)))
                // Retries are ours (backoff in deliverDue), so one slow queue never blocks the scheduler for long.
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    private static AwsCredentialsProvider credentials() {
        // A local queue (ElasticMQ) accepts anything; a real one needs the default chain.
        String key = System.getenv("AWS_ACCESS_KEY_ID");
        if (key == null || key.isBlank()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create("emulator", "emulator"));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    /**
     * Queues one event of a job. {@code identity} (job name + sequence) makes the fault decisions reproducible;
     * {@code hasSuccessor} says whether the job will emit another event (only then can this one be held back).
     */
    synchronized void publish(String jobName, String identity, String body, boolean hasSuccessor) {
        long now = System.nanoTime();
        if (faults.decide("dropEventPercent", identity)) {
            faults.increment(Faults.EVENTS_DROPPED);
            releaseHeld(jobName, now);
            return;
        }
        if (hasSuccessor && !heldForReorder.containsKey(jobName) && faults.decide("reorderEventPercent", identity)) {
            faults.increment(Faults.EVENTS_REORDERED);
            heldForReorder.put(jobName, body);
            return;
        }
        long notBefore = now;
        if (faults.decide("delayEventPercent", identity)) {
            faults.increment(Faults.EVENTS_DELAYED);
            notBefore = now + faults.eventDelayMillis() * 1_000_000L;
        }
        pending.add(new Pending(body, notBefore));
        if (faults.decide("duplicateEventPercent", identity)) {
            faults.increment(Faults.EVENTS_DUPLICATED);
            pending.add(new Pending(body, notBefore));
        }
        releaseHeld(jobName, notBefore);
    }

    private void releaseHeld(String jobName, long notBefore) {
        String held = heldForReorder.remove(jobName);
        if (held != null) pending.add(new Pending(held, notBefore));
    }

    /**
     * Sends every due event, in queue order. On a failure the queue is blocked for a growing backoff and the same event
     * is tried first again, so an outage delays events without losing or reordering them.
     */
    void deliverDue() {
        while (true) {
            Pending next = null;
            synchronized (this) {
                long now = System.nanoTime();
                if (now < blockedUntilNanos) return;
                for (Pending p : pending) {
                    if (p.notBeforeNanos <= now) {
                        next = p;
                        break;
                    }
                }
            }
            if (next == null) return;
            try {
                String body = next.body;
                sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));
                faults.increment(Faults.EVENTS_SENT);
                synchronized (this) {
                    pending.remove(next);
                    consecutiveFailures = 0;
                }
            } catch (RuntimeException e) {
                faults.increment(Faults.EVENT_SEND_FAILURES);
                long backoff;
                synchronized (this) {
                    consecutiveFailures++;
                    backoff = Math.min(MAX_BACKOFF_MILLIS, 100L << Math.min(consecutiveFailures, 7));
                    blockedUntilNanos = System.nanoTime() + backoff * 1_000_000L;
                }
                LOG.log(System.Logger.Level.WARNING, "SQS send failed (" + consecutiveFailures + " in a row), retrying in "
                        + backoff + " ms: " + e.getMessage());
                return;
            }
        }
    }

    synchronized int pendingCount() {
        return pending.size() + heldForReorder.size();
    }

    @Override
    public void close() {
        sqs.close();
    }
}
