package io.sagebench.launcher.client;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.sagebench.platform.aws.AwsCallMetrics;
import io.sagebench.platform.aws.AwsClients;
import io.sagebench.platform.aws.AwsConfig;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 client for the code upload. Path-style addressing only when configured, or when an endpoint is (the S3
 * stand-in). The SDK's default request checksums stay on: the stand-in verifies them as S3 does. Unlike the
 * rate-limited CreateTrainingJob, S3 keeps the SDK's own standard retries rather than sagebench.aws.max-attempts.
 */
@ApplicationScoped
public class S3ClientProducer {

    @Produces
    @Singleton
    S3Client s3Client(AwsConfig aws, AwsCallMetrics metrics) {
        var endpoint = aws.s3Endpoint().filter(e -> !e.isBlank());
        var builder = AwsClients.configure(S3Client.builder(), aws, metrics, endpoint)
                .httpClientBuilder(ApacheHttpClient.builder())
                .forcePathStyle(aws.s3PathStyle().orElse(endpoint.isPresent()));
        builder.overrideConfiguration(builder.overrideConfiguration().toBuilder().retryStrategy(RetryMode.STANDARD)
                .build());
        return builder.build();
    }

    void close(@Disposes S3Client client) {
        client.close();
    }
}
