package io.sagebench.launcher.domain;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JobFailurePolicyTest {

    @Test
    void platformFailuresAreRelaunched() {
        assertTrue(JobFailurePolicy.worthRelaunching("Failed",
                "CapacityError: Unable to provision requested ML compute capacity. Please retry using a different ML instance type."));
        assertTrue(JobFailurePolicy.worthRelaunching("Failed", "InternalServerError: We encountered an internal error."));
    }

    @Test
    void failuresThatWouldRepeatAreNot() {
        assertFalse(JobFailurePolicy.worthRelaunching("Failed", "AlgorithmError: ExecuteUserScriptError: ExitCode 1 "
                + "ErrorMessage \"RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB\""));
        assertFalse(JobFailurePolicy.worthRelaunching("Failed", "ClientError: ArchiveError: No space left on device"));
        assertFalse(JobFailurePolicy.worthRelaunching("Failed", null));
        assertFalse(JobFailurePolicy.worthRelaunching("Stopped", "CapacityError: Unable to provision"));
        assertFalse(JobFailurePolicy.worthRelaunching("Completed", null));
    }
}
