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
 * Init arg {@code clockFactor} (simulated seconds per real second, default 2000).
 */
public class SageMakerEmulatorResource implements QuarkusTestResourceLifecycleManager {

    private static volatile SageMakerEmulator emulator;
    private double clockFactor = 2000;

    public static SageMakerEmulator emulator() {
        if (emulator == null) {
            throw new IllegalStateException("SageMakerEmulatorResource has not started");
        }
        return emulator;
    }

    @Override
    public void init(Map<String, String> initArgs) {
        clockFactor = Double.parseDouble(initArgs.getOrDefault("clockFactor", String.valueOf(clockFactor)));
    }

    @Override
    public Map<String, String> start() {
        EmulatorConfig.Builder config = EmulatorConfig.builder().port(0).clockFactor(clockFactor).seed(42);
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
