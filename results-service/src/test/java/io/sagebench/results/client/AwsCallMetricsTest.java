package io.sagebench.results.client;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AwsCallMetricsTest {

    private static Throwable error(int status, String code) {
        return SageMakerException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build()).build();
    }

    @Test
    void outcomesFollowTheErrorCodeAndStatus() {
        assertEquals("throttled", AwsCallMetrics.outcome(error(400, "ThrottlingException")));
        assertEquals("quota", AwsCallMetrics.outcome(error(400, "ResourceLimitExceeded")));
        assertEquals("client-error", AwsCallMetrics.outcome(error(400, "ValidationException")));
        assertEquals("server-error", AwsCallMetrics.outcome(error(500, "InternalFailure")));
        assertEquals("server-error", AwsCallMetrics.outcome(SdkClientException.create("connection refused")));
    }
}
