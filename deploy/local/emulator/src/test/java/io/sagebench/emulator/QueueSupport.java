package io.sagebench.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** An embedded ElasticMQ per test class, and an emulator delivering to its own fresh queue per test. */
abstract class QueueSupport {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger QUEUES = new AtomicInteger();
    static SQSRestServer server;
    static URI sqsEndpoint;
    static SqsClient sqs;

    @BeforeAll
    static void startQueue() {
        server = SQSRestServerBuilder.withDynamicPort().withInterface("127.0.0.1").start();
        int port = server.waitUntilStarted().localAddress().getPort();
        sqsEndpoint = URI.create("http://127.0.0.1:" + port);
        sqs = SqsClient.builder().endpointOverride(sqsEndpoint).region(Region.US_EAST_1)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"))).build();
    }

    @AfterAll
    static void stopQueue() {
        sqs.close();
        // Unbinding waits up to a minute for idle keep-alive connections on a busy machine; the JVM ends anyway.
        server.stopAndGetFuture();
    }

    /** A running emulator with its client and queue; close it at the end of the test. */
    record Env(SageMakerEmulator emulator, SageMakerClient sm, String queueUrl) implements AutoCloseable {
        @Override
        public void close() {
            sm.close();
            emulator.close();
        }

        /** Receives (and deletes) every message currently in the queue, in the order SQS hands them out. */
        List<JsonNode> drain() {
            List<JsonNode> out = new ArrayList<>();
            while (true) {
                List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                        .waitTimeSeconds(0)).messages();
                if (batch.isEmpty()) return out;
                for (Message m : batch) {
                    try {
                        out.add(JSON.readTree(m.body()));
                    } catch (java.io.IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
                }
            }
        }
    }

    static Env env(Consumer<EmulatorConfig.Builder> customize) throws Exception {
        String name = "events-" + QUEUES.incrementAndGet();
        String queueUrl = sqs.createQueue(b -> b.queueName(name)).queueUrl();
        EmulatorConfig.Builder b = TestJobs.fastConfig().events(sqsEndpoint, queueUrl);
        customize.accept(b);
        SageMakerEmulator emulator = SageMakerEmulator.start(b.build());
        return new Env(emulator, TestJobs.client(emulator), queueUrl);
    }

    static List<String> states(List<JsonNode> events) {
        return events.stream().map(e -> e.at("/detail/TrainingJobStatus").asText() + "/"
                + e.at("/detail/SecondaryStatus").asText()).toList();
    }
}
