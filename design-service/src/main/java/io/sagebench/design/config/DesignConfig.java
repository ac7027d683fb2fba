package io.sagebench.design.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code sagebench.design.*}: expansion and quote tunables (see design-service/README.md). */
@ConfigMapping(prefix = "sagebench.design")
public interface DesignConfig {

    /** Seconds quoted per run before training starts (provisioning, image pull, data download). */
    @WithDefault("300")
    int startupOverheadSeconds();

    /** A design expanding to more runs than this is rejected. */
    @WithDefault("5000")
    int maxRuns();

    /** maxRuntimeSeconds = this × quoted seconds, clamped to [min-runtime-seconds, max-runtime-seconds]. */
    @WithDefault("3.0")
    double runtimeSafetyFactor();

    @WithDefault("3600")
    int minRuntimeSeconds();

    @WithDefault("432000")
    int maxRuntimeSeconds();

    /**
     * Attempts of a consumed record that fails unexpectedly, but not transiently (transient database failures are
     * retried within {@code sagebench.incoming-retry.*}), before it is judged: still failing against a working
     * database = a bad record (dead-lettered); otherwise the channel stops without acknowledging it, so Kafka
     * redelivers it after a restart.
     */
    @WithDefault("4")
    int consumerAttempts();

    /** Wait before the second attempt; doubled before each further one. */
    @WithDefault("0.5s")
    Duration consumerRetryBackoff();

    /**
     * A bench.designs record whose value is larger than this is rejected (rule payload-too-large) without being
     * parsed. REST bodies have the same limit in quarkus.http.limits.max-body-size.
     */
    @WithDefault("1048576")
    int maxPayloadBytes();
}
