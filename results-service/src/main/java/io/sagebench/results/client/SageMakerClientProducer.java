package io.sagebench.results.client;

import io.sagebench.platform.aws.AwsCallMetrics;
import io.sagebench.platform.aws.AwsClients;
import io.sagebench.platform.aws.AwsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/** The unmodified SDK v2 SageMaker client (DescribeTrainingJob, the readiness probe), set up the platform's way. */
@ApplicationScoped
public class SageMakerClientProducer {

    @Produces
    @ApplicationScoped
    SageMakerClient sageMakerClient(AwsConfig config, AwsCallMetrics metrics) {
        return AwsClients.configure(SageMakerClient.builder(), config, metrics, config.sagemakerEndpoint())
                .httpClientBuilder(HttpClients.apache())
                .build();
    }

    void close(@Disposes SageMakerClient client) {
        client.close();
    }
}
