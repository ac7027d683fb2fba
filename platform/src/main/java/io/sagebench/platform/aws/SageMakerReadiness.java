package io.sagebench.platform.aws;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import org.eclipse.microprofile.health.HealthCheckResponse;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * Whether the SageMaker endpoint answers: one ListTrainingJobs(MaxResults=1) at most every
 * {@code sagebench.aws.readiness-cache-for}, whatever the probe rate, with a short deadline of its own. It never calls
 * CreateTrainingJob, so it costs nothing of the account's launch rate. The detail is the SDK's message only (no
 * credentials in it). Each service's {@code @Readiness} check delegates here.
 */
public final class SageMakerReadiness {

    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    private record Answer(boolean up, String detail, long atNanos, Instant at) {
    }

    private final Supplier<SageMakerClient> sageMaker;
    private final Duration cacheFor;
    private Answer last;

    public SageMakerReadiness(Supplier<SageMakerClient> sageMaker, Duration cacheFor) {
        this.sageMaker = sageMaker;
        this.cacheFor = cacheFor;
    }

    public HealthCheckResponse check() {
        Answer answer = current();
        return HealthCheckResponse.named("sagemaker").status(answer.up())
                .withData("checkedAt", answer.at().toString()).withData("detail", answer.detail()).build();
    }

    private synchronized Answer current() {
        Answer cached = last;
        long now = System.nanoTime();
        if (cached != null && Duration.ofNanos(now - cached.atNanos()).compareTo(cacheFor) < 0) {
            return cached;
        }
        Answer fresh;
        try {
            sageMaker.get().listTrainingJobs(b -> b.maxResults(1)
                    .overrideConfiguration(o -> o.apiCallTimeout(PROBE_TIMEOUT)));
            fresh = new Answer(true, "ListTrainingJobs answered", now, Instant.now());
        } catch (AwsServiceException e) {
            // the class and AWS's error code only: messages may quote request details
            fresh = new Answer(false, "ListTrainingJobs failed: " + e.getClass().getSimpleName() + " "
                    + e.awsErrorDetails().errorCode(), now, Instant.now());
        } catch (RuntimeException e) {
            fresh = new Answer(false, "ListTrainingJobs failed: " + e.getClass().getSimpleName(), now, Instant.now());
        }
        last = fresh;
        return fresh;
    }
}
