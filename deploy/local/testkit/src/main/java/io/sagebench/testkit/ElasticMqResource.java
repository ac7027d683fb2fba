package io.sagebench.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.util.Map;

/**
 * ElasticMQ, a real SQS-compatible server, embedded in the test JVM with the queue the EventBridge rule feeds.
 */
public class ElasticMqResource implements QuarkusTestResourceLifecycleManager {

    public static final String QUEUE = "sagebench-training-job-events";
    private static volatile URI endpoint;
    private static volatile String queueUrl;
    private SQSRestServer server;

    public static URI endpoint() {
        if (endpoint == null) {
            throw new IllegalStateException("ElasticMqResource has not started");
        }
        return endpoint;
    }

    public static String queueUrl() {
        if (queueUrl == null) {
            throw new IllegalStateException("ElasticMqResource has not started");
        }
        return queueUrl;
    }

    /** A client for tests, pointed at the embedded server. */
    public static SqsClient client() {
        return SqsClient.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
    }

    @Override
    public Map<String, String> start() {
        server = SQSRestServerBuilder.withDynamicPort().withInterface("127.0.0.1").start();
        int port = server.waitUntilStarted().localAddress().getPort();
        endpoint = URI.create("http://127.0.0.1:" + port);
        try (SqsClient sqs = client()) {
            queueUrl = sqs.createQueue(b -> b.queueName(QUEUE)).queueUrl();
        }
        return Map.of(
                "sagebench.aws.sqs-endpoint", endpoint.toString(),
                "sagebench.monitor.queue-url", queueUrl);
    }

    @Override
    public void stop() {
        if (server != null) {
            // Unbinding waits up to a minute for idle keep-alive connections on a busy machine; the JVM ends anyway.
            server.stopAndGetFuture();
            server = null;
        }
        endpoint = null;
        queueUrl = null;
    }
}
