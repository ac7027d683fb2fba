package io.sagebench.launcher.client;

import io.sagebench.platform.aws.AwsCallMetrics;
import java.net.URI;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.sagebench.launcher.config.AwsConfig;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * The one SageMakerClient of the service. Endpoint override only when configured (the emulator); credentials from the
 * default chain (environment, profile, IRSA) and never logged. Retries: the standard strategy with a small attempt
 * budget (see {@link AwsConfig#maxAttempts()}) because throttling is handled by deferring the run, and a retried
 * CreateTrainingJob is safe only thanks to the deterministic job name, so there is no point in hammering.
 */
@ApplicationScoped
public class SageMakerClientProducer {

    @Produces
    @Singleton
    SageMakerClient sageMakerClient(AwsConfig aws, AwsCallMetrics metrics) {
        var builder = SageMakerClient.builder()
                .region(Region.of(aws.region()))
                .credentialsProvider(credentials(aws))
                .httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(o -> o
                        .addExecutionInterceptor(metrics)
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(Math.max(1, aws.maxAttempts())).build())
                        .apiCallTimeout(aws.apiCallTimeout())
                        .apiCallAttemptTimeout(aws.apiCallAttemptTimeout()));
        aws.sagemakerEndpoint().filter(e -> !e.isBlank()).ifPresent(e -> builder.endpointOverride(URI.create(e)));
        return builder.build();
    }

    void close(@Disposes SageMakerClient client) {
        client.close();
    }

    static AwsCredentialsProvider credentials(AwsConfig aws) {
        if (aws.staticCredentials()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
