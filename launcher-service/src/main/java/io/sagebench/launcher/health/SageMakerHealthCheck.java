package io.sagebench.launcher.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.sagebench.platform.aws.AwsConfig;
import io.sagebench.platform.aws.SageMakerReadiness;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/** Ready only while the SageMaker endpoint answers (platform SageMakerReadiness: cached, never CreateTrainingJob). */
@Readiness
@ApplicationScoped
public class SageMakerHealthCheck implements HealthCheck {
    private final SageMakerReadiness readiness;

    @Inject
    public SageMakerHealthCheck(SageMakerClient sageMaker, AwsConfig aws) {
        this.readiness = new SageMakerReadiness(() -> sageMaker, aws.readinessCacheFor());
    }

    @Override
    public HealthCheckResponse call() {
        return readiness.check();
    }
}
