package io.sagebench.launcher.client;

import java.util.Locale;
import java.util.Set;

import io.sagebench.launcher.domain.FailureClass;
import io.sagebench.launcher.domain.LaunchFailure;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Maps what the SDK throws for CreateTrainingJob to a failure class and an action. SageMaker models only ResourceInUse,
 * ResourceLimitExceeded and ResourceNotFound; throttling and validation come as the base SageMakerException, so the
 * error code (not the exception type) decides.
 */
public final class FailureClassifier {
    private static final Set<String> THROTTLING_CODES = Set.of("ThrottlingException", "Throttling",
            "TooManyRequestsException", "RequestLimitExceeded", "ProvisionedThroughputExceededException",
            "RequestThrottled", "RequestThrottledException", "SlowDown", "PriorRequestNotComplete");
    private static final Set<String> CAPACITY_CODES = Set.of("InsufficientCapacity", "InsufficientCapacityError",
            "InsufficientInstanceCapacity", "CapacityError", "ServiceUnavailable");

    private FailureClassifier() {
    }

    public static LaunchFailure classify(Throwable error) {
        if (error instanceof AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            String message = e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
                    ? e.awsErrorDetails().errorMessage() : e.getMessage();
            return classify(code, e.statusCode(), message, e.isThrottlingException());
        }
        if (error instanceof SdkClientException) {
            // No response: connection refused, timeout, reset. The call may or may not have reached SageMaker; retrying
            // the same deterministic name is safe either way.
            return new LaunchFailure(FailureClass.INTERNAL, LaunchFailure.Action.RETRY, null, describe(error));
        }
        return new LaunchFailure(FailureClass.INTERNAL, LaunchFailure.Action.RETRY, null, describe(error));
    }

    public static LaunchFailure classify(String code, int status, String message, boolean throttling) {
        String msg = message == null ? "" : message;
        String lower = msg.toLowerCase(Locale.ROOT);
        if ("ResourceInUse".equals(code)) {
            return new LaunchFailure(null, LaunchFailure.Action.ALREADY_LAUNCHED, code, msg);
        }
        if (throttling || status == 429 || (code != null && THROTTLING_CODES.contains(code))
                || lower.contains("rate exceeded")) {
            return new LaunchFailure(FailureClass.THROTTLING, LaunchFailure.Action.DEFER, code, msg);
        }
        if ("ResourceLimitExceeded".equals(code)) {
            return new LaunchFailure(FailureClass.QUOTA, LaunchFailure.Action.DEFER, code, msg);
        }
        if ((code != null && CAPACITY_CODES.contains(code)) || lower.contains("insufficient capacity")) {
            return new LaunchFailure(FailureClass.CAPACITY, LaunchFailure.Action.DEFER, code, msg);
        }
        if (status >= 500) {
            return new LaunchFailure(FailureClass.INTERNAL, LaunchFailure.Action.RETRY, code, msg);
        }
        // ValidationException, ResourceNotFound (e.g. a missing role or image) and any other 4xx: the request is wrong.
        return new LaunchFailure(FailureClass.VALIDATION, LaunchFailure.Action.FAIL, code, msg);
    }

    private static String describe(Throwable t) {
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
