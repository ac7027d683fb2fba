package io.sagebench.platform.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;

/**
 * The one way a service sets up an unmodified AWS SDK v2 client: region, optional endpoint override, credentials, the
 * standard retry strategy with the configured attempt budget, call deadlines and the call metrics. Each service adds
 * only its HTTP client (timeouts differ: SQS long polls) and builds.
 */
public final class AwsClients {

    /** The static keys the local stand-ins accept (they check the signature's shape, not the secret). */
    static final String STATIC_KEY = "sagebench-local";

    private AwsClients() {
    }

    /** Configures {@code builder} for {@code region}, pointing it at {@code endpoint} when one is set. */
    public static <B extends AwsClientBuilder<B, ?>> B configure(B builder, AwsConfig config, AwsCallMetrics metrics,
                                                                 String region, Optional<String> endpoint) {
        builder.region(Region.of(region))
                .credentialsProvider(credentials(config))
                .overrideConfiguration(o -> o
                        .addExecutionInterceptor(metrics)
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(Math.max(1, config.maxAttempts())).build())
                        .apiCallTimeout(longest(config.apiCallTimeout(), config.apiCallAttemptTimeout()))
                        .apiCallAttemptTimeout(config.apiCallAttemptTimeout()));
        endpoint.map(String::trim).filter(e -> !e.isEmpty()).ifPresent(e -> builder.endpointOverride(URI.create(e)));
        return builder;
    }

    /** {@link #configure(AwsClientBuilder, AwsConfig, AwsCallMetrics, String, Optional)} in the jobs' region. */
    public static <B extends AwsClientBuilder<B, ?>> B configure(B builder, AwsConfig config, AwsCallMetrics metrics,
                                                                 Optional<String> endpoint) {
        return configure(builder, config, metrics, config.region(), endpoint);
    }

    /** The default chain (environment, profile, IRSA; never logged), or the stand-ins' static keys. */
    public static AwsCredentialsProvider credentials(AwsConfig config) {
        return config.staticCredentials()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(STATIC_KEY, STATIC_KEY))
                : DefaultCredentialsProvider.builder().build();
    }

    private static Duration longest(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
