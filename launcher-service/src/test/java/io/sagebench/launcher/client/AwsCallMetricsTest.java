package io.sagebench.launcher.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sagemaker.model.ResourceLimitExceededException;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;

/** The outcome tag of sagebench.aws.calls, from the SDK's own exceptions. */
class AwsCallMetricsTest {

    private static SageMakerException error(int status, String code) {
        return (SageMakerException) SageMakerException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code).build()).build();
    }

    @Test
    void outcomes() {
        assertEquals("throttled", AwsCallMetrics.outcome(error(400, "ThrottlingException")));
        assertEquals("quota", AwsCallMetrics.outcome(ResourceLimitExceededException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ResourceLimitExceeded").build()).build()));
        assertEquals("client-error", AwsCallMetrics.outcome(error(400, "ValidationException")));
        assertEquals("server-error", AwsCallMetrics.outcome(error(500, "InternalFailure")));
        assertEquals("server-error", AwsCallMetrics.outcome(SdkClientException.create("connect", new IOException())));
    }
}
