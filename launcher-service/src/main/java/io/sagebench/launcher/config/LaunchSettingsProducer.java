package io.sagebench.launcher.config;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.sagebench.platform.aws.AwsConfig;
import io.sagebench.launcher.domain.ImageAllowlist;
import io.sagebench.launcher.domain.LaunchSettings;
import io.sagebench.launcher.domain.SourceArchive;
import io.sagebench.launcher.domain.RetryPolicy;
import io.sagebench.launcher.domain.TrainingImage;

/** Turns configuration into the plain domain objects, so the domain never sees config APIs. */
@ApplicationScoped
public class LaunchSettingsProducer {

    @Produces
    @Singleton
    LaunchSettings launchSettings(AwsConfig aws, LauncherConfig launcher, SourceArchive source) {
        var image = launcher.image();
        String trainingImage = image.uri().filter(u -> !u.isBlank()).orElseGet(() -> TrainingImage.uri(aws.region(),
                image.transformersVersion(), image.pytorchVersion(), image.pythonVersion(), image.cudaOs()));
        ImageAllowlist allowlist = launcher.imageAllowlist().filter(l -> !l.isEmpty())
                .map(ImageAllowlist::new).orElseGet(() -> ImageAllowlist.huggingFaceDlcs(aws.region()));
        String submitDirectory = launcher.codeBucket().filter(b -> !b.isBlank())
                .map(bucket -> source.s3Uri(bucket, launcher.codePrefix())).orElse(null);
        return new LaunchSettings(aws.region(), launcher.roleArn(), launcher.bucket(), launcher.datasetUriTemplate(),
                trainingImage, launcher.entryPoint(), launcher.containerLogLevel(), allowlist, submitDirectory);
    }

    /** The training code, tarred once per process; its bytes (and so its S3 key) depend only on the files' content. */
    @Produces
    @Singleton
    SourceArchive sourceArchive() {
        return SourceArchive.fromClasspath(SourceArchive.SOURCE_DIR);
    }

    @Produces
    @Singleton
    RetryPolicy retryPolicy(LauncherConfig launcher) {
        var r = launcher.retry();
        return new RetryPolicy(r.deferBase(), r.deferMax(), r.retryBase(), r.retryMax(), r.maxInternalRetries());
    }

    /** The account's interval between two CreateTrainingJob calls (1 / rate), without any margin. */
    public static Duration callInterval(LauncherConfig launcher) {
        return Duration.ofNanos((long) (1_000_000_000L / launcher.admission().createRatePerSecond()));
    }

    /** Spacing between the starts of two CreateTrainingJob calls across all replicas: the interval plus the margin. */
    public static Duration callSpacing(LauncherConfig launcher) {
        return callInterval(launcher).plus(launcher.admission().rateSafetyMargin());
    }
}
