package io.sagebench.launcher.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    /**
     * Bucket the content-addressed sourcedir.tar.gz is uploaded to (SAGEBENCH_CODE_BUCKET); empty keeps the
     * estimator's per-job {@code s3://<bucket>/<job>/source/sourcedir.tar.gz} and uploads nothing.
     */
    Optional<String> codeBucket();

    /** Key prefix of the code in the code bucket: {@code <prefix>/sourcedir-<sha256>/sourcedir.tar.gz}. */
    @WithDefault("sagebench/code")
    String codePrefix();

    /**
     * Images SageMaker may be given (repositories, or exact image URIs); empty means the region's Hugging Face DLC
     * repositories. A run whose image falls outside is failed, never launched.
     */
    Optional<List<String>> imageAllowlist();

    Ceiling ceiling();

    /** logging.INFO, the estimator's default container_log_level. */
    @WithDefault("20")
    int containerLogLevel();

    Image image();

    Admission admission();

    Retry retry();

    /**
     * How often the dispatcher looks for due launches; a tick keeps launching while runs are due, so this does not
     * limit the rate. The outbox relay's period is {@code sagebench.outbox.interval} and the metric gauges'
     * {@code sagebench.metrics.refresh} (scheduler expressions, not part of this mapping).
     */
    @WithName("dispatch-interval")
    @WithDefault("0.2s")
    Duration dispatchInterval();

    /** Daily spending ceilings (UTC day), checked at admission (docs/security.md, Spending limits). */
    interface Ceiling {
        /** Per designer (RunPlanned.submittedBy; runs without one share the designer "unknown"). */
        @WithDefault("10000")
        BigDecimal designerUsdPerDay();

        /** The whole account, all designers. */
        @WithDefault("50000")
        BigDecimal accountUsdPerDay();

        /** How often a run deferred by a ceiling checks again (the day may have turned, the ceiling been raised). */
        @WithDefault("60s")
        Duration recheck();
    }

    interface Image {
        /** A full image URI instead of the one derived from the versions below; must be in the allowlist. */
        Optional<String> uri();

        /** The Hugging Face DLC's versions, as the estimator names them. */
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
        /** First wait of a run deferred by throttling, quota or capacity; it doubles per deferral up to defer-max. */
        @WithDefault("2s")
        Duration deferBase();

        @WithDefault("60s")
        Duration deferMax();

        /** First wait before retrying an internal failure with the same job name; doubles up to retry-max. */
        @WithDefault("1s")
        Duration retryBase();

        @WithDefault("30s")
        Duration retryMax();

        /** Retries of an internal failure before the run fails. */
        @WithDefault("5")
        int maxInternalRetries();

        /** Attempts per run, counting the first: a job failing for a platform reason is relaunched up to this bound. */
        @WithDefault("3")
        int maxAttempts();
    }
}
