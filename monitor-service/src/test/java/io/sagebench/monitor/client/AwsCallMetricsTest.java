package io.sagebench.monitor.client;

import io.sagebench.platform.aws.AwsCallMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sagebench.emulator.EmulatorConfig;
import io.sagebench.emulator.SageMakerEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The interceptor on the unmodified SageMakerClient against the emulator: one timer sample per call whatever its
 * retries, the outcome classified, and every attempt after the first counted as a retry.
 */
class AwsCallMetricsTest {

    private static SageMakerEmulator emulator;
    private static SimpleMeterRegistry registry;
    private static SageMakerClient sageMaker;

    @BeforeAll
    static void start() throws Exception {
        emulator = SageMakerEmulator.start(EmulatorConfig.builder().port(0).seed(1).build());
        registry = new SimpleMeterRegistry();
        sageMaker = SageMakerClient.builder()
                .endpointOverride(emulator.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(3).build())
                        .addExecutionInterceptor(new AwsCallMetrics(registry)))
                .build();
    }

    @AfterAll
    static void stop() {
        sageMaker.close();
        emulator.close();
    }

    private static long calls(String operation, String outcome) {
        var timer = registry.find("sagebench.aws.calls").tags("operation", operation, "outcome", outcome).timer();
        return timer == null ? 0 : timer.count();
    }

    private static double retries(String operation) {
        var counter = registry.find("sagebench.aws.retries").tags("operation", operation).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void successClientErrorServerErrorAndThrottlingAreToldApartAndRetriesCounted() {
        sageMaker.listTrainingJobs(b -> b.maxResults(1));
        assertEquals(1, calls("ListTrainingJobs", "success"));
        assertEquals(0, retries("ListTrainingJobs"));

        // an unknown job: a 400 ValidationException, not retried
        assertThrows(SageMakerException.class, () -> sageMaker.describeTrainingJob(b -> b.trainingJobName("bench-none-a1")));
        assertEquals(1, calls("DescribeTrainingJob", "client-error"));
        assertEquals(0, retries("DescribeTrainingJob"));

        emulator.faults().set("internalErrorPercent", 100);
        try {
            assertThrows(SageMakerException.class, () -> sageMaker.listTrainingJobs(b -> b.maxResults(1)));
        } finally {
            emulator.faults().set("internalErrorPercent", 0);
        }
        assertEquals(1, calls("ListTrainingJobs", "server-error"), "one sample for the call, not one per attempt");
        assertEquals(2, retries("ListTrainingJobs"), "3 attempts = 2 retries");

        emulator.faults().set("throttlePercent", 100);
        try {
            assertThrows(SageMakerException.class, () -> sageMaker.listTrainingJobs(b -> b.maxResults(1)));
        } finally {
            emulator.faults().set("throttlePercent", 0);
        }
        assertEquals(1, calls("ListTrainingJobs", "throttled"));
        assertEquals(4, retries("ListTrainingJobs"));
    }
}
