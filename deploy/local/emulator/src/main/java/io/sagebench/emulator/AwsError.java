package io.sagebench.emulator;

import java.util.List;

/** An error answered on the wire: HTTP status, the AWS error code ({@code __type}) and the message. */
final class AwsError extends RuntimeException {
    final int httpStatus;
    final String code;

    AwsError(int httpStatus, String code, String message) {
        super(message);
        this.httpStatus = httpStatus;
        this.code = code;
    }

    static AwsError validation(String message) {
        return new AwsError(400, "ValidationException", message);
    }

    /** The AWS form for constraint violations: "N validation error(s) detected: a; b". */
    static AwsError validation(List<String> problems) {
        String head = problems.size() == 1 ? "1 validation error detected: " : problems.size() + " validation errors detected: ";
        return validation(head + String.join("; ", problems));
    }

    static AwsError notFound() {
        return validation("Requested resource not found.");
    }

    static AwsError throttling() {
        return new AwsError(400, "ThrottlingException", "Rate exceeded");
    }

    static AwsError internalFailure() {
        return new AwsError(500, "InternalFailure", "We encountered an internal error. Please try again.");
    }
}
