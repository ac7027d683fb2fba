package io.sagebench.launcher.config;

import java.time.Duration;
import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

@ConfigMapping(prefix = "sagebench.launcher")
public interface LauncherConfig {
    /** SageMaker execution role (SAGEBENCH_ROLE_ARN); never taken from a design. */
    String roleArn();

    /** Bucket for code, data, checkpoints and output (SAGEBENCH_BUCKET); never taken from a design. */
    String bucket();

    /** S3 prefix of the train channel; {bucket}, {dataset} and {size} are replaced. */
    @WithDefault("s3://{bucket}/datasets/{dataset}/")
    String datasetUriTemplate();

    @WithDefault("train.py")
    String entryPoint();

    /** logging.INFO, the estimator's default container_log_level. */
    @WithDefault("20")
    int containerLogLevel();

    Image image();

    Admission admission();

    Retry retry();

    @WithName("dispatch-interval")
    @WithDefault("0.2s")
    Duration dispatchInterval();

    interface Image {
        @WithDefault("4.36.0")
        String transformersVersion();

        @WithDefault("2.1.0")
        String pytorchVersion();

        @WithDefault("py310")
        String pythonVersion();

        @WithDefault("cu121-ubuntu20.04")
        String cudaOs();
    }

    interface Admission {
        /** CreateTrainingJob calls per second summed over all launcher replicas (the account limit is 1). */
        @WithDefault("1.0")
        double createRatePerSecond();

        /**
         * Added to the interval between two call starts, so start jitter (sleep overshoot, request transit) never lands
         * two calls inside one second at the server.
         */
        @WithDefault("20ms")
        Duration rateSafetyMargin();

        /**
         * A call's request may reach SageMaker as late as its reply comes back (a cold client, a GC pause), so the next
         * call also waits until the previous one finished plus the interval minus this allowance. A fast call is not
         * slowed by it; a slow one pushes the next start out. Keep it below the server's early-admission tolerance (the
         * emulator admits a call within 5% of a whole token, 50 ms at 1/s): the gap between two arrivals never falls
         * below interval - allowance.
         */
        @WithDefault("40ms")
        Duration rateSlowCallAllowance();

        /** Instances of a type in use at once ("ml.<type> for training job usage"); types not listed use the default. */
        Map<String, Integer> quota();

        /** Quota of a type not listed; negative means unlimited. */
        @WithDefault("-1")
        int defaultQuota();

        /** A LAUNCHING row older than this is presumed orphaned by a crash and retried with the same job name. */
        @WithDefault("2m")
        Duration launchLease();

        /** How often a quota-deferred run re-checks even if no job-state event frees its instances. */
        @WithDefault("30s")
        Duration quotaRecheck();
    }

    interface Retry {
        @WithDefault("2s")
        Duration deferBase();

        @WithDefault("60s")
        Duration deferMax();

        @WithDefault("1s")
        Duration retryBase();

        @WithDefault("30s")
        Duration retryMax();

        @WithDefault("5")
        int maxInternalRetries();

        /** Attempts per run, counting the first: a job failing for a platform reason is relaunched up to this bound. */
        @WithDefault("3")
        int maxAttempts();
    }
}
