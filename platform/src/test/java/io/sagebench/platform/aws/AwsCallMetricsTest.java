package io.sagebench.platform.aws;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The outcome tag of sagebench.aws.calls from the SDK's own exceptions, and the retry counter's life. */
class AwsCallMetricsTest {

    private static AwsServiceException error(int status, String code) {
        return AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code).build()).build();
    }

    @Test
    void outcomesFollowTheErrorCodeAndStatus() {
        assertEquals("throttled", AwsCallMetrics.outcome(error(400, "ThrottlingException")));
        assertEquals("throttled", AwsCallMetrics.outcome(error(429, "TooManyRequestsException")));
        assertEquals("quota", AwsCallMetrics.outcome(error(400, "ResourceLimitExceeded")));
        assertEquals("client-error", AwsCallMetrics.outcome(error(400, "ValidationException")));
        assertEquals("server-error", AwsCallMetrics.outcome(error(500, "InternalFailure")));
        assertEquals("server-error", AwsCallMetrics.outcome(SdkClientException.create("connect", new IOException())));
    }

    @Test
    void anOperationsRetryCounterExistsFromItsFirstCallAndCountsAttemptsAfterTheFirst() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AwsCallMetrics metrics = new AwsCallMetrics(registry);
        ExecutionAttributes call = new ExecutionAttributes();
        call.putAttribute(SdkExecutionAttribute.OPERATION_NAME, "CreateTrainingJob");

        metrics.beforeExecution(null, call);
        assertEquals(0.0, registry.get(AwsCallMetrics.RETRIES).tag("operation", "CreateTrainingJob").counter().count());
        metrics.beforeTransmission(null, call);
        metrics.beforeTransmission(null, call);
        metrics.beforeTransmission(null, call);
        metrics.afterExecution(null, call);

        assertEquals(2.0, registry.get(AwsCallMetrics.RETRIES).tag("operation", "CreateTrainingJob").counter().count());
        assertNotNull(registry.get(AwsCallMetrics.CALLS).tags("operation", "CreateTrainingJob", "outcome", "success").timer());
        assertEquals(1, registry.get(AwsCallMetrics.CALLS).timer().count());
    }
}
