package io.sagebench.monitor.client;

import io.sagebench.platform.aws.AwsCallMetrics;
import io.sagebench.monitor.config.AwsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The unmodified AWS SDK v2 clients; only the region, an optional endpoint override, the credentials and the call metrics
 * ({@link AwsCallMetrics}) are configured.
 */
@ApplicationScoped
public class AwsClients {

    /** Longer than the longest SQS long poll (20 s), so a long poll is never cut off by the HTTP client. */
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(35);

    private final AwsConfig config;
    private final AwsCallMetrics callMetrics;

    public AwsClients(AwsConfig config, AwsCallMetrics callMetrics) {
        this.config = config;
        this.callMetrics = callMetrics;
    }

    @Produces
    @ApplicationScoped
    SqsClient sqsClient() {
        return configure(SqsClient.builder(), config.sqsEndpoint()).build();
    }

    @Produces
    @ApplicationScoped
    SageMakerClient sageMakerClient() {
        return configure(SageMakerClient.builder(), config.sagemakerEndpoint()).build();
    }

    void closeSqs(@Disposes SqsClient client) {
        client.close();
    }

    void closeSageMaker(@Disposes SageMakerClient client) {
        client.close();
    }

    private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder, Optional<String> endpoint) {
        builder.region(Region.of(config.region()))
                .credentialsProvider(credentials())
                .httpClientBuilder(ApacheHttpClient.builder()
                        .socketTimeout(SOCKET_TIMEOUT)
                        .connectionTimeout(Duration.ofSeconds(5)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(Math.max(1, config.maxAttempts())).build())
                        .addExecutionInterceptor(callMetrics));
        endpoint.filter(e -> !e.isBlank()).ifPresent(e -> builder.endpointOverride(URI.create(e.trim())));
        return builder;
    }

    private AwsCredentialsProvider credentials() {
        return config.staticCredentials()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create("sagebench-test", "sagebench-test"))
                : DefaultCredentialsProvider.builder().build();
    }
}
