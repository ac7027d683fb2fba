package io.sagebench.platform.aws;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How every service reaches AWS (or the local stand-ins): one mapping of {@code sagebench.aws.*}, so a key means the
 * same in every service. Endpoints left empty mean the real AWS endpoint of the region.
 */
@ConfigMapping(prefix = "sagebench.aws")
public interface AwsConfig {

    /** The region of the training jobs, the queue and the bucket. */
    @WithDefault("us-east-1")
    String region();

    /** SageMaker endpoint override (the emulator locally). */
    Optional<String> sagemakerEndpoint();

    /** SQS endpoint override (ElasticMQ locally). */
    Optional<String> sqsEndpoint();

    /** S3 endpoint override (the S3 stand-in locally). */
    Optional<String> s3Endpoint();

    /** Path-style S3 addressing ({@code endpoint/bucket/key}); on by default when an S3 endpoint is configured. */
    Optional<Boolean> s3PathStyle();

    /** Price List API endpoint override (the stand-in locally); the API is served from {@link #pricingRegion()}. */
    Optional<String> pricingEndpoint();

    /** The Price List API's region, whatever region the jobs run in. */
    @WithDefault("us-east-1")
    String pricingRegion();

    /** Dummy static keys for the local stand-ins instead of the default chain (environment, profile, IRSA). */
    @WithDefault("false")
    boolean staticCredentials();

    /**
     * Total SDK attempts per call, the first included (1 = no SDK retry). The launcher keeps it at 2: every retried
     * CreateTrainingJob spends one of the account's calls per second, and throttling is handled by deferring the run.
     */
    @WithDefault("4")
    int maxAttempts();

    /** Deadline of one SDK call, its retries included. */
    @WithDefault("30s")
    Duration apiCallTimeout();

    /** Deadline of one attempt. Longer than SQS's 20 s long poll where a service polls (monitor sets it). */
    @WithDefault("10s")
    Duration apiCallAttemptTimeout();

    /** How long the SageMaker readiness check trusts its last answer (at most one cheap call per this period). */
    @WithDefault("30s")
    Duration readinessCacheFor();
}
