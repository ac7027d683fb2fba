package io.sagebench.results.client;

import io.sagebench.platform.aws.AwsCallMetrics;
import io.sagebench.results.config.AwsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.SageMakerClientBuilder;

import java.net.URI;
import java.time.Duration;

/** The unmodified SDK v2 SageMaker client; only the endpoint is overridden, and only when configured. */
@ApplicationScoped
public class SageMakerClientProducer {

    @Produces
    @ApplicationScoped
    SageMakerClient sageMakerClient(AwsConfig config, AwsCallMetrics metrics) {
        SageMakerClientBuilder builder = SageMakerClient.builder()
                .region(Region.of(config.region()))
                .httpClientBuilder(ApacheHttpClient.builder().connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(30)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(Math.max(1, config.maxAttempts())).build())
                        .addExecutionInterceptor(metrics));
        config.sagemakerEndpoint().filter(e -> !e.isBlank()).ifPresent(e -> builder.endpointOverride(URI.create(e)));
        builder.credentialsProvider(config.staticCredentials()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create("sagebench", "sagebench"))
                : DefaultCredentialsProvider.builder().build());
        return builder.build();
    }

    void close(@Disposes SageMakerClient client) {
        client.close();
    }
}
