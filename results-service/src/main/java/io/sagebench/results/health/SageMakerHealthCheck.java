package io.sagebench.results.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

import java.time.Duration;
import java.time.Instant;

/**
 * Ready only while SageMaker answers (results are priced from DescribeTrainingJob). One cheap ListTrainingJobs call at
 * most every 30 s, whatever the probe rate; the answer is cached in between.
 */
@Readiness
@ApplicationScoped
public class SageMakerHealthCheck implements HealthCheck {

    static final Duration CACHE = Duration.ofSeconds(30);

    private record Answer(Instant at, boolean up, String detail) {
    }

    @Inject
    SageMakerClient sageMaker;

    private volatile Answer last;

    @Override
    public HealthCheckResponse call() {
        Answer a = answer();
        return HealthCheckResponse.named("sagemaker").status(a.up())
                .withData("checkedAt", a.at().toString()).withData("detail", a.detail()).build();
    }

    private synchronized Answer answer() {
        Instant now = Instant.now();
        if (last == null || last.at().plus(CACHE).isBefore(now)) {
            last = probe(now);
        }
        return last;
    }

    private Answer probe(Instant now) {
        try {
            // A probe must answer quickly: the whole call, retries included, gets 5 s.
            sageMaker.listTrainingJobs(b -> b.maxResults(1)
                    .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(5))));
            return new Answer(now, true, "ListTrainingJobs answered");
        } catch (RuntimeException e) {
            // The exception's class and AWS error code only: messages may quote request details.
            return new Answer(now, false, "ListTrainingJobs failed: " + e.getClass().getSimpleName());
        }
    }
}
