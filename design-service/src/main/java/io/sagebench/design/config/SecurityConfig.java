package io.sagebench.design.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Set;

/** {@code sagebench.security.*}: what docs/security.md lets operators tune. */
@ConfigMapping(prefix = "sagebench.security")
public interface SecurityConfig {

    /**
     * A record on bench.designs must carry {@code authorization: Bearer <jwt>} of a designer or operator. Turning
     * this off accepts unsigned designs from anyone who may write the topic.
     */
    @WithDefault("true")
    boolean kafkaRequireToken();

    /** Buckets an S3 URI in a design may point into (rule s3-outside-buckets). */
    @WithDefault("sagemaker-us-east-1-000000000000")
    Set<String> allowedBuckets();
}
