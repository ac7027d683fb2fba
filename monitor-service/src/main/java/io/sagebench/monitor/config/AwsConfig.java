package io.sagebench.monitor.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/** How to reach AWS (or the local stand-ins): region, optional endpoint overrides, credentials, retry budget. */
@ConfigMapping(prefix = "sagebench.aws")
public interface AwsConfig {

    @WithDefault("us-east-1")
    String region();

    /** Empty means the real AWS endpoint; set for ElasticMQ. */
    Optional<String> sqsEndpoint();

    /** Empty means the real AWS endpoint; set for the SageMaker emulator. */
    Optional<String> sagemakerEndpoint();

    /** Dummy static credentials instead of the default chain (tests only). */
    @WithDefault("false")
    boolean staticCredentials();

    /** Total attempts per SDK call (1 = no retry); small in tests so throttling stays fast. */
    @WithDefault("4")
    int maxAttempts();
}
