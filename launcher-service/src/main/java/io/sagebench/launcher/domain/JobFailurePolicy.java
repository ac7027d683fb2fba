package io.sagebench.launcher.domain;

import java.util.Locale;

/**
 * Whether a training job that ended in Failed deserves a new attempt. Only faults of the platform are worth paying for
 * again (no capacity, SageMaker internal errors); the script running out of GPU memory, the data not fitting the
 * volume (the study's ArchiveError) or any other client or algorithm error would fail the same way a second time.
 */
public final class JobFailurePolicy {
    private JobFailurePolicy() {
    }

    public static boolean worthRelaunching(String status, String failureReason) {
        if (!"Failed".equals(status) || failureReason == null) {
            return false;
        }
        String reason = failureReason.toLowerCase(Locale.ROOT);
        if (reason.contains("out of memory") || reason.contains("archiveerror") || reason.startsWith("clienterror")
                || reason.startsWith("algorithmerror")) {
            return false;
        }
        return reason.startsWith("capacityerror") || reason.contains("insufficient capacity")
                || reason.startsWith("internalservererror") || reason.contains("internal server error");
    }
}
