package io.sagebench.launcher.client;

import io.sagebench.platform.aws.AwsCallMetrics;
import java.net.URI;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.sagebench.launcher.config.AwsConfig;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 client for the code upload: the service's region and credentials, endpoint override and path-style only when
 * configured (the S3 stand-in of the local stack and tests). The SDK's default request checksums (aws-chunked with a
 * trailing CRC) stay on: the stand-in verifies them as S3 does. The SDK's standard retries (3 attempts) suit S3,
 * unlike the rate-limited CreateTrainingJob.
 */
@ApplicationScoped
public class S3ClientProducer {

    @Produces
    @Singleton
    S3Client s3Client(AwsConfig aws, AwsCallMetrics metrics) {
        var endpoint = aws.s3Endpoint().filter(e -> !e.isBlank());
        var builder = S3Client.builder()
                .region(Region.of(aws.region()))
                .credentialsProvider(SageMakerClientProducer.credentials(aws))
                .httpClientBuilder(ApacheHttpClient.builder())
                .forcePathStyle(aws.s3PathStyle().orElse(endpoint.isPresent()))
                .overrideConfiguration(o -> o
                        .addExecutionInterceptor(metrics)
                        .apiCallTimeout(aws.apiCallTimeout())
                        .apiCallAttemptTimeout(aws.apiCallAttemptTimeout()));
        endpoint.ifPresent(e -> builder.endpointOverride(URI.create(e)));
        return builder.build();
    }

    void close(@Disposes S3Client client) {
        client.close();
    }
}
