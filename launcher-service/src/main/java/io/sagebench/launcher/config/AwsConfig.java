package io.sagebench.launcher.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** AWS client settings shared by the services (docs/architecture.md, Configuration). */
@ConfigMapping(prefix = "sagebench.aws")
public interface AwsConfig {
    @WithDefault("us-east-1")
    String region();

    /** Empty means the real AWS endpoint; the local stack and tests point this at the SageMaker emulator. */
    Optional<String> sagemakerEndpoint();

    /** Empty means the real S3 endpoint; the local stack and tests point this at the S3 stand-in. */
    Optional<String> s3Endpoint();

    /** Path-style S3 addressing ({@code endpoint/bucket/key}); defaults to on when an S3 endpoint is configured. */
    Optional<Boolean> s3PathStyle();

    /** How long the SageMaker readiness check trusts its last answer (at most one cheap call per this period). */
    @WithDefault("30s")
    Duration readinessCacheFor();

    /** Dummy static keys for tests against the emulator; otherwise the SDK's default chain. */
    @WithDefault("false")
    boolean staticCredentials();

    /**
     * Total SDK attempts per call (1 = no SDK retry). Kept small on purpose: every retried CreateTrainingJob spends
     * one of the account's 1-per-second calls, and throttling is handled by deferring the run, not by the SDK.
     */
    @WithDefault("2")
    int maxAttempts();

    @WithDefault("30s")
    Duration apiCallTimeout();

    @WithDefault("10s")
    Duration apiCallAttemptTimeout();
}
