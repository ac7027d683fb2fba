package io.sagebench.local;

import io.sagebench.emulator.EmulatorConfig;
import io.sagebench.emulator.SageMakerEmulator;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.util.concurrent.CountDownLatch;

/**
 * The JVM that stands in for AWS: ElasticMQ (a real SQS server) with the events queue, and the SageMaker emulator
 * delivering EventBridge events into it. Arguments: sqsPort sageMakerPort clockFactor [bindHost, default 127.0.0.1;
 * a container passes 0.0.0.0 so its neighbours can reach it].
 */
public final class AwsStandIn {

    private AwsStandIn() {
    }

    public static void main(String[] args) throws Exception {
        int sqsPort = Integer.parseInt(args[0]);
        int sageMakerPort = Integer.parseInt(args[1]);
        double clockFactor = Double.parseDouble(args[2]);
        String bindHost = args.length > 3 ? args[3] : "127.0.0.1";

        SQSRestServer sqs = SQSRestServerBuilder.withPort(sqsPort).withInterface(bindHost).start();
        sqs.waitUntilStarted();
        URI sqsEndpoint = URI.create("http://127.0.0.1:" + sqsPort);
        String queueUrl;
        try (SqsClient client = SqsClient.builder().endpointOverride(sqsEndpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build()) {
            queueUrl = client.createQueue(b -> b.queueName(StackConfig.QUEUE)).queueUrl();
        }
        SageMakerEmulator emulator = SageMakerEmulator.start(EmulatorConfig.builder()
                .host(bindHost).port(sageMakerPort).clockFactor(clockFactor)
                .events(sqsEndpoint, queueUrl).build());
        System.out.println("SQS (ElasticMQ) on " + sqsEndpoint + ", queue " + queueUrl);
        System.out.println("SageMaker emulator on " + emulator.endpoint() + ", clock x" + clockFactor);
        System.out.println("AWS stand-in ready");

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            sqs.stopAndGetFuture(); // the process is ending: no need to wait for idle connections to drain
            stopped.countDown();
        }));
        stopped.await();
    }
}
