package io.sagebench.monitor.it;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.sagebench.emulator.EmulatorConfig;
import io.sagebench.emulator.SageMakerEmulator;
import io.sagebench.testkit.ElasticMqResource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The SageMaker emulator as the test kit's SageMakerEmulatorResource starts it (delivering its events into ElasticMQ),
 * but without the account's CreateTrainingJob rate (1/s): the 100-job fault test would spend 100 s just creating jobs,
 * and the monitor never calls CreateTrainingJob, so that limit tests nothing here. (The test kit's resource has no
 * init argument for the rate yet; once it has, this class should go.) Init arg {@code clockFactor} (default 2000).
 * Starts after ElasticMqResource ({@link #order()}), whose queue it needs.
 */
public class UnthrottledEmulatorResource implements QuarkusTestResourceLifecycleManager {

    private static volatile SageMakerEmulator emulator;
    private double clockFactor = 2000;

    public static SageMakerEmulator emulator() {
        if (emulator == null) {
            throw new IllegalStateException("UnthrottledEmulatorResource has not started");
        }
        return emulator;
    }

    @Override
    public void init(Map<String, String> initArgs) {
        clockFactor = Double.parseDouble(initArgs.getOrDefault("clockFactor", String.valueOf(clockFactor)));
    }

    @Override
    public int order() {
        return 10;
    }

    @Override
    public Map<String, String> start() {
        EmulatorConfig config = EmulatorConfig.builder().port(0).clockFactor(clockFactor).seed(42)
                .createTrainingJobRateLimit(0, 1)
                .events(ElasticMqResource.endpoint(), ElasticMqResource.queueUrl())
                .build();
        try {
            emulator = SageMakerEmulator.start(config);
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
