package io.sagebench.platform.inbox;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How long every service retries an incoming record's transaction while its own database fails transiently, before
 * leaving the record unacknowledged for redelivery ({@link TransientRetry}). One budget for all services and channels.
 */
@ConfigMapping(prefix = "sagebench.incoming-retry")
public interface IncomingRetryConfig {

    /** The first pause between tries. */
    @WithDefault("50ms")
    Duration firstBackoff();

    /** The pause doubles up to this. */
    @WithDefault("2s")
    Duration maxBackoff();

    /** In all: long enough to ride out a database restart. */
    @WithDefault("60s")
    Duration budget();
}
