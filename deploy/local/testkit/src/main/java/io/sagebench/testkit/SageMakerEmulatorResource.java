package io.sagebench.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.sagebench.emulator.EmulatorConfig;
import io.sagebench.emulator.SageMakerEmulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The SageMaker emulator on a free port, its clock compressed so jobs finish in seconds. When ElasticMqResource is also
 * active (list it first), the emulator delivers EventBridge events into its queue, as the rule does on AWS.
 * Init args {@code clockFactor} (simulated seconds per real second, default 2000) and {@code createRate}
 * (CreateTrainingJob calls per second, burst 1; {@code 0} switches the limit off, for benchmarks; default: the
 * emulator's 1 per second).
 */
public class SageMakerEmulatorResource implements QuarkusTestResourceLifecycleManager {

    private static volatile SageMakerEmulator emulator;
    private double clockFactor = 2000;
    private Double createRate;

    /** A SageMakerClient for tests, pointed at the running emulator: dummy credentials, no retries (a test sees every error). */
    public static software.amazon.awssdk.services.sagemaker.SageMakerClient client() {
        return software.amazon.awssdk.services.sagemaker.SageMakerClient.builder()
                .endpointOverride(emulator().endpoint())
                .overrideConfiguration(o -> o.retryStrategy(software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry()))
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("test", "test")))
                .build();
    }

    public static SageMakerEmulator emulator() {
        if (emulator == null) {
            throw new IllegalStateException("SageMakerEmulatorResource has not started");
        }
        return emulator;
    }

    /** After ElasticMqResource (order 0): the emulator feeds the queue only if it exists when the emulator starts. */
    @Override
    public int order() {
        return 10;
    }

    @Override
    public void init(Map<String, String> initArgs) {
        clockFactor = Double.parseDouble(initArgs.getOrDefault("clockFactor", String.valueOf(clockFactor)));
        if (initArgs.containsKey("createRate")) {
            createRate = Double.parseDouble(initArgs.get("createRate"));
        }
    }

    @Override
    public Map<String, String> start() {
        EmulatorConfig.Builder config = EmulatorConfig.builder().port(0).clockFactor(clockFactor).seed(42);
        if (createRate != null) {
            config.createTrainingJobRateLimit(createRate, 1);
        }
        try {
            config.events(ElasticMqResource.endpoint(), ElasticMqResource.queueUrl());
        } catch (IllegalStateException noQueue) {
            // no ElasticMQ in this test JVM: the emulator keeps its events to itself
        }
        try {
            emulator = SageMakerEmulator.start(config.build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "sagebench.aws.sagemaker-endpoint", emulator.endpoint().toString(),
                "sagebench.aws.static-credentials", "true");
    }

    @Override
    public void stop() {
        if (emulator != null) {
            emulator.close();
            emulator = null;
        }
    }
}
