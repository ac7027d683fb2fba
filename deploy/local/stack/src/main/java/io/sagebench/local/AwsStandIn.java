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
        EmulatorConfig.Builder builder = EmulatorConfig.builder()
                .host(bindHost).port(sageMakerPort).clockFactor(clockFactor)
                .events(sqsEndpoint, queueUrl);
        emulatorOptions(builder);
        SageMakerEmulator emulator = SageMakerEmulator.start(builder.build());
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

    /**
     * Optional account settings of the emulator, as system properties (the chaos suite sets them; unset keeps the
     * emulator's defaults): {@code sagebench.emulator.seed}, {@code sagebench.emulator.create-rate} (CreateTrainingJob
     * calls per second), {@code sagebench.emulator.default-quota} and {@code sagebench.emulator.quotas}
     * ({@code type=instances,...}).
     */
    static void emulatorOptions(EmulatorConfig.Builder builder) {
        String seed = System.getProperty("sagebench.emulator.seed");
        if (seed != null) builder.seed(Long.parseLong(seed));
        String rate = System.getProperty("sagebench.emulator.create-rate");
        if (rate != null) builder.createTrainingJobRateLimit(Double.parseDouble(rate), 1);
        String defaultQuota = System.getProperty("sagebench.emulator.default-quota");
        if (defaultQuota != null) builder.defaultInstanceQuota(Integer.parseInt(defaultQuota));
        String quotas = System.getProperty("sagebench.emulator.quotas");
        if (quotas != null && !quotas.isBlank()) {
            for (String q : quotas.split(",")) {
                String[] kv = q.trim().split("=");
                builder.instanceQuota(kv[0], Integer.parseInt(kv[1]));
            }
        }
    }
}
