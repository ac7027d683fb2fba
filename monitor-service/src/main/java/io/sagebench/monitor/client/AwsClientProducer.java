package io.sagebench.monitor.client;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

import io.sagebench.platform.aws.AwsCallMetrics;
import io.sagebench.platform.aws.AwsClients;
import io.sagebench.platform.aws.AwsConfig;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The unmodified AWS SDK v2 clients, set up by platform's {@link AwsClients}; only the HTTP client is the monitor's. */
@ApplicationScoped
public class AwsClientProducer {

    /**
     * Longer than the longest SQS long poll (20 s), so a long poll is never cut off by the HTTP client (the SDK's
     * attempt deadline, {@code sagebench.aws.api-call-attempt-timeout}, is set above it too).
     */
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(35);
    private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(5);

    private final AwsConfig config;
    private final AwsCallMetrics callMetrics;

    public AwsClientProducer(AwsConfig config, AwsCallMetrics callMetrics) {
        this.config = config;
        this.callMetrics = callMetrics;
    }

    @Produces
    @ApplicationScoped
    SqsClient sqsClient() {
        return AwsClients.configure(SqsClient.builder(), config, callMetrics, config.sqsEndpoint())
                .httpClientBuilder(httpClient()).build();
    }

    @Produces
    @ApplicationScoped
    SageMakerClient sageMakerClient() {
        return AwsClients.configure(SageMakerClient.builder(), config, callMetrics, config.sagemakerEndpoint())
                .httpClientBuilder(httpClient()).build();
    }

    void closeSqs(@Disposes SqsClient client) {
        client.close();
    }

    void closeSageMaker(@Disposes SageMakerClient client) {
        client.close();
    }

    private static ApacheHttpClient.Builder httpClient() {
        return ApacheHttpClient.builder().socketTimeout(SOCKET_TIMEOUT).connectionTimeout(CONNECTION_TIMEOUT);
    }
}
