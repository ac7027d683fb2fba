package io.sagebench.results.domain;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressTest {

    @Test
    void countsEachRunOnceByWhereItIs() {
        Progress p = Progress.of("d", 6, List.of("d-r001", "d-r002", "d-r003", "d-r004", "d-r005"),
                List.of(new Progress.LaunchFact("d-r001", "launched", true, false),
                        new Progress.LaunchFact("d-r002", "launched", true, false),
                        new Progress.LaunchFact("d-r003", "launched", true, false),
                        new Progress.LaunchFact("d-r004", "deferred", false, false),
                        new Progress.LaunchFact("d-r005", "launch_failed", false, true)),
                List.of(new Progress.JobFact("d-r001", "InProgress", "Downloading"),
                        new Progress.JobFact("d-r002", "InProgress", "Training"),
                        new Progress.JobFact("d-r003", "Completed", "Completed")),
                List.of(new Progress.ResultFact("d-r003", "Completed")), List.of("d-r006"), false);
        assertEquals(6, p.total());
        assertEquals(5, p.planned());
        assertEquals(1, p.deferred());
        assertEquals(3, p.launched());
        assertEquals(1, p.running());
        assertEquals(3, p.finished());
        assertEquals(1, p.succeeded());
        assertEquals(1, p.failed());
        assertEquals(1, p.cancelled());
        assertFalse(p.allEnded());
    }

    @Test
    void withoutDesignAcceptedTheTotalIsTheRunsSeen() {
        Progress p = Progress.of("d", null, List.of("d-r001"), List.of(), List.of(),
                List.of(new Progress.ResultFact("d-r001", "Stopped"), new Progress.ResultFact("d-r002", "Failed")), List.of(), false);
        assertEquals(2, p.total());
        assertEquals(2, p.finished());
        assertEquals(1, p.stopped());
        assertEquals(1, p.failed());
        assertTrue(p.allEnded());
    }
}
