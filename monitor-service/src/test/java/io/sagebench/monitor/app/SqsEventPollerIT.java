package io.sagebench.monitor.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebench.monitor.config.MonitorConfig;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The poller against a real ElasticMQ that is not there yet when it starts (as in the local stack, where the services
 * may start first): it must keep retrying, then consume, and delete only what its handler finished.
 */
class SqsEventPollerIT {

    @Test
    void survivesAnUnreachableQueueAndDeletesOnlyHandledMessages() throws Exception {
        int port = freePort();
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        String queueUrl = endpoint + "/000000000000/events";
        List<String> handled = new CopyOnWriteArrayList<>();
        AtomicInteger failuresLeft = new AtomicInteger(1);
        QueueMessageHandler handler = new QueueMessageHandler(new ObjectMapper(), config(queueUrl), null, null,
                new io.sagebench.monitor.app.MonitorMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry())) {
            @Override
            public List<Message> handleBatch(List<Message> messages) {
                // the first attempt at "flaky" fails like an unreachable Kafka would: it must stay on the queue
                List<Message> done = new ArrayList<>();
                for (Message m : messages) {
                    if (m.body().equals("flaky") && failuresLeft.getAndDecrement() > 0) {
                        continue;
                    }
                    handled.add(m.body());
                    done.add(m);
                }
                return done;
            }
        };
        try (SqsClient sqs = client(endpoint)) {
            SqsEventPoller poller = new SqsEventPoller(sqs, handler, config(queueUrl));
            poller.start();
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> poller.lastError() != null
                        && !poller.lastError().equals("not polled yet"));
                assertNull(poller.lastReceiveOk());

                SQSRestServer server = SQSRestServerBuilder.withPort(port).withInterface("127.0.0.1").start();
                try {
                    server.waitUntilStarted();
                    sqs.createQueue(b -> b.queueName("events"));
                    sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("flaky"));
                    sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("steady"));

                    // "flaky" comes back after its 1 s visibility timeout and is handled the second time
                    await().atMost(Duration.ofSeconds(20)).until(() -> handled.contains("flaky") && handled.contains("steady"));
                    assertNotNull(poller.lastReceiveOk());
                    assertNull(poller.lastError());
                    await().atMost(Duration.ofSeconds(10)).until(() -> "0".equals(sqs.getQueueAttributes(b -> b
                            .queueUrl(queueUrl).attributeNamesWithStrings("ApproximateNumberOfMessages",
                                    "ApproximateNumberOfMessagesNotVisible")).attributesAsStrings().entrySet().stream()
                            .map(e -> Integer.parseInt(e.getValue())).reduce(0, Integer::sum).toString()));
                    assertEquals(1, handled.stream().filter("flaky"::equals).count(), "handled once, deleted after");
                } finally {
                    poller.stop();
                    // unbinding can wait a minute for idle keep-alive connections on a busy machine; no need to wait
                    server.stopAndGetFuture();
                }
            } finally {
                poller.stop();
            }
        }
    }

    private static SqsClient client(URI endpoint) {
        return SqsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD).apiCallAttemptTimeout(Duration.ofSeconds(5)))
                .build();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static MonitorConfig config(String queueUrl) {
        return new MonitorConfig() {
            public String queueUrl() { return queueUrl; }
            public String jobNamePrefix() { return "bench-"; }
            public Optional<String> expectedAccount() { return Optional.empty(); }
            public boolean pollerEnabled() { return true; }
            public Duration waitTime() { return Duration.ofSeconds(1); }
            public int maxMessages() { return 10; }
            public int receivesPerBatch() { return 2; }
            public Duration publishTimeout() { return Duration.ofSeconds(5); }
            public Duration visibilityTimeout() { return Duration.ofSeconds(1); }
            public Duration backoffMin() { return Duration.ofMillis(100); }
            public Duration backoffMax() { return Duration.ofMillis(500); }
            public Duration silence() { return Duration.ofMinutes(10); }
            public Duration defaultMaxRun() { return Duration.ofHours(24); }
            public Duration expectedEndGrace() { return Duration.ofMinutes(30); }
            public String reconcileEvery() { return "30s"; }
            public int reconcileBatch() { return 20; }
            public Duration reconcilePause() { return Duration.ofMillis(500); }
        };
    }
}
