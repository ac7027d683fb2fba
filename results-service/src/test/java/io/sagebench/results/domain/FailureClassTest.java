package io.sagebench.results.domain;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FailureClassTest {

    @Test
    void classifiesSageMakersFailureReasons() {
        assertEquals("out-of-memory", FailureClass.ofJob("AlgorithmError: ExecuteUserScriptError: ExitCode 1 "
                + "ErrorMessage \"RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB\""));
        assertEquals("disk", FailureClass.ofJob("ClientError: ArchiveError: No space left on device while extracting"));
        assertEquals("capacity", FailureClass.ofJob("CapacityError: Unable to provision requested ML compute capacity."));
        assertEquals("internal", FailureClass.ofJob("InternalServerError: We encountered an internal error."));
        assertEquals("algorithm", FailureClass.ofJob("AlgorithmError: ExitCode 2"));
        assertEquals("client", FailureClass.ofJob("ClientError: bad channel"));
        assertEquals("unknown", FailureClass.ofJob(null));
        assertEquals("unknown", FailureClass.ofJob("something new"));
    }
}
