package io.sagebench.results.health;

import io.sagebench.platform.aws.AwsConfig;
import io.sagebench.platform.aws.SageMakerReadiness;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/** Ready only while SageMaker answers (results are priced from DescribeTrainingJob); platform's cached probe. */
@Readiness
@ApplicationScoped
public class SageMakerHealthCheck implements HealthCheck {

    @Inject
    Instance<SageMakerClient> sageMaker;
    @Inject
    AwsConfig aws;

    private SageMakerReadiness readiness;

    @PostConstruct
    void init() {
        readiness = new SageMakerReadiness(sageMaker::get, aws.readinessCacheFor());
    }

    @Override
    public HealthCheckResponse call() {
        return readiness.check();
    }
}
