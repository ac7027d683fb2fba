package io.sagebench.launcher.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;

import org.junit.jupiter.api.Test;

import io.sagebench.launcher.domain.FailureClass;
import io.sagebench.launcher.client.FailureClassifier;
import io.sagebench.launcher.domain.LaunchFailure;
import io.sagebench.launcher.domain.LaunchFailure.Action;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/** Classifies the exceptions the real SDK throws for SageMaker's real error bodies (facts file §4). */
class FailureClassificationTest {

    private LaunchFailure classifyAnswer(int status, String body) throws Exception {
        try (var stub = new StubSageMaker(); var client = stub.client()) {
            stub.answer(status, body);
            try {
                client.createTrainingJob(b -> b.trainingJobName("bench-d-1-r001-a1").roleArn("arn").outputDataConfig(
                        o -> o.s3OutputPath("s3://b/")));
            } catch (Exception e) {
                return FailureClassifier.classify(e);
            }
            fail("expected the SDK to throw for " + body);
            return null;
        }
    }

    @Test
    void throttlingIsDeferredNeverFailed() throws Exception {
        var f = classifyAnswer(400, "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}");
        assertEquals(FailureClass.THROTTLING, f.failureClass());
        assertEquals(Action.DEFER, f.action());
        assertEquals("ThrottlingException", f.errorCode());
        assertEquals("Rate exceeded", f.message());
        assertTrue(f.retryable());
    }

    @Test
    void resourceLimitExceededIsQuotaAndDeferred() throws Exception {
        var f = classifyAnswer(400, "{\"__type\":\"ResourceLimitExceeded\",\"Message\":\"The account-level service limit "
                + "'ml.p3.2xlarge for training job usage' is 0 Instances, with current utilization of 0 Instances and a "
                + "request delta of 1 Instances. Please contact AWS support to request an increase for this limit.\"}");
        assertEquals(FailureClass.QUOTA, f.failureClass());
        assertEquals(Action.DEFER, f.action());
        assertTrue(f.message().contains("for training job usage"));
    }

    @Test
    void insufficientCapacityIsDeferred() throws Exception {
        var f = classifyAnswer(400, "{\"__type\":\"CapacityError\",\"Message\":\"Insufficient capacity error from EC2\"}");
        assertEquals(FailureClass.CAPACITY, f.failureClass());
        assertEquals(Action.DEFER, f.action());
    }

    @Test
    void validationFailsWithoutRetry() throws Exception {
        var f = classifyAnswer(400, "{\"__type\":\"ValidationException\",\"message\":\"1 validation error detected: "
                + "Value 'x_y' at 'trainingJobName' failed to satisfy constraint\"}");
        assertEquals(FailureClass.VALIDATION, f.failureClass());
        assertEquals(Action.FAIL, f.action());
        assertFalse(f.retryable());
    }

    @Test
    void resourceInUseMeansAlreadyLaunched() throws Exception {
        var f = classifyAnswer(400, "{\"__type\":\"ResourceInUse\",\"Message\":\"Training job names must be unique within "
                + "an AWS account and region, and a training job with this name already exists (arn:...)\"}");
        assertNull(f.failureClass());
        assertEquals(Action.ALREADY_LAUNCHED, f.action());
    }

    @Test
    void serverErrorIsInternalAndRetried() throws Exception {
        var f = classifyAnswer(500, "{\"__type\":\"InternalFailure\",\"message\":\"boom\"}");
        assertEquals(FailureClass.INTERNAL, f.failureClass());
        assertEquals(Action.RETRY, f.action());
    }

    @Test
    void unreachableEndpointIsInternalAndRetried() {
        try (var client = SageMakerClient.builder().endpointOverride(URI.create("http://127.0.0.1:1"))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build()) {
            client.describeTrainingJob(b -> b.trainingJobName("x"));
            fail("expected a connection failure");
        } catch (Exception e) {
            var f = FailureClassifier.classify(e);
            assertEquals(FailureClass.INTERNAL, f.failureClass());
            assertEquals(Action.RETRY, f.action());
        }
    }
}
