package io.sagebench.launcher.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JobNamesTest {

    @Test
    void nameIsDeterministicAndValidForSageMaker() {
        String name = JobNames.jobName("d-0123456789ab-r001", 1);
        assertEquals("bench-d-0123456789ab-r001-a1", name);
        assertEquals(name, JobNames.jobName("d-0123456789ab-r001", 1));
        assertTrue(JobNames.SAGEMAKER_NAME.matcher(name).matches());
    }

    @Test
    void longestRunIdStillFits() {
        String runId = "a".repeat(44) + "-r01";
        String name = JobNames.jobName(runId, 12);
        assertTrue(name.length() <= 63, name);
    }

    @Test
    void rejectsAttemptZeroAndInvalidNames() {
        assertThrows(IllegalArgumentException.class, () -> JobNames.jobName("d-1-r001", 0));
        assertThrows(IllegalArgumentException.class, () -> JobNames.jobName("a".repeat(60), 1));
    }

    @Test
    void parsesOurNamesBack() {
        assertEquals("d-0123456789ab-r001", JobNames.runIdOf("bench-d-0123456789ab-r001-a3"));
        assertEquals(3, JobNames.attemptOf("bench-d-0123456789ab-r001-a3"));
        assertNull(JobNames.runIdOf("huggingface-pytorch-training-2025-01-15"));
    }
}
