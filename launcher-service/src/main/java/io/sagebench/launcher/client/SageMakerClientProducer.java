package io.sagebench.launcher.client;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.sagebench.platform.aws.AwsCallMetrics;
import io.sagebench.platform.aws.AwsClients;
import io.sagebench.platform.aws.AwsConfig;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * The one SageMakerClient of the service. Its small attempt budget ({@code sagebench.aws.max-attempts=2} in
 * application.properties) is deliberate: throttling is handled by deferring the run, and a retried CreateTrainingJob
 * is safe only thanks to the deterministic job name.
 */
@ApplicationScoped
public class SageMakerClientProducer {

    @Produces
    @Singleton
    SageMakerClient sageMakerClient(AwsConfig aws, AwsCallMetrics metrics) {
        return AwsClients.configure(SageMakerClient.builder(), aws, metrics, aws.sagemakerEndpoint())
                .httpClientBuilder(ApacheHttpClient.builder())
                .build();
    }

    void close(@Disposes SageMakerClient client) {
        client.close();
    }
}
