package io.sagebench.launcher.health;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.sagebench.launcher.config.AwsConfig;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * Ready only while the SageMaker endpoint answers: one ListTrainingJobs(MaxResults=1) at most every
 * {@code sagebench.aws.readiness-cache-for} (30 s), whatever the probe rate. It never calls CreateTrainingJob, so it
 * costs nothing of the account's launch rate. The error text is the SDK's message only (no credentials in it).
 */
@Readiness
@ApplicationScoped
public class SageMakerHealthCheck implements HealthCheck {
    @Inject
    SageMakerClient sageMaker;
    @Inject
    AwsConfig aws;

    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    private record Answer(boolean up, String detail, long atNanos) {
    }

    private volatile Answer last;

    @Override
    public HealthCheckResponse call() {
        Answer answer = current();
        return HealthCheckResponse.named("sagemaker").status(answer.up()).withData("detail", answer.detail()).build();
    }

    private synchronized Answer current() {
        Answer cached = last;
        long now = System.nanoTime();
        if (cached != null && Duration.ofNanos(now - cached.atNanos()).compareTo(aws.readinessCacheFor()) < 0) {
            return cached;
        }
        Answer fresh;
        try {
            // a probe must answer quickly: a short deadline for this one call instead of the client's 30 s
            sageMaker.listTrainingJobs(b -> b.maxResults(1)
                    .overrideConfiguration(o -> o.apiCallTimeout(PROBE_TIMEOUT)));
            fresh = new Answer(true, "ListTrainingJobs answered", now);
        } catch (RuntimeException e) {
            fresh = new Answer(false, "ListTrainingJobs failed: " + e.getClass().getSimpleName() + ": "
                    + e.getMessage(), now);
        }
        last = fresh;
        return fresh;
    }
}
