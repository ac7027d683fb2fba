package io.sagebench.results.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/** How to reach SageMaker. */
@ConfigMapping(prefix = "sagebench.aws")
public interface AwsConfig {

    /** AWS region of the training jobs. */
    @WithDefault("us-east-1")
    String region();

    /** Endpoint override (the emulator locally); empty means the real AWS endpoint. */
    Optional<String> sagemakerEndpoint();

    /** Price List API endpoint override (the stand-in locally); empty means the real us-east-1 endpoint. */
    Optional<String> pricingEndpoint();

    /** Region of the Price List API endpoint (it is served from us-east-1, whatever region the jobs run in). */
    @WithDefault("us-east-1")
    String pricingRegion();

    /** Static dummy credentials instead of the default chain (tests). */
    @WithDefault("false")
    boolean staticCredentials();

    /** Total attempts per SDK call, the first included (kept small in tests so failures are fast). */
    @WithDefault("4")
    int maxAttempts();
}
