package io.sagebench.contracts.ids;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobNamesTest {

    @Test
    void nameIsDeterministicAndValidForSageMaker() {
        String name = JobNames.of("d-0123456789ab-r001", 1);
        assertEquals("bench-d-0123456789ab-r001-a1", name);
        assertEquals(name, new RunAttempt("d-0123456789ab-r001", 1).jobName());
        assertTrue(JobNames.isSageMakerName(name));
    }

    @Test
    void namesParseBackToTheirRunAndAttempt() {
        for (String runId : List.of("study-r001", "d-0123456789ab-r001", "a".repeat(44) + "-r01", "x-a1-r002", "seed")) {
            for (int attempt : new int[] {1, 2, 12, 999_999}) {
                String name = JobNames.of(runId, attempt);
                assertEquals(Optional.of(new RunAttempt(runId, attempt)), JobNames.parse(name), name);
            }
        }
        assertEquals(Optional.of(new RunAttempt("da-a1-r002", 3)), JobNames.parse("bench-da-a1-r002-a3"));
    }

    @Test
    void theLongestRunIdStillFits() {
        String name = JobNames.of("a".repeat(44) + "-r01", 12);
        assertTrue(name.length() <= 63, name);
    }

    @Test
    void aConfiguredPrefixIsHonoured() {
        String name = JobNames.of("sb-", "study-r001", 2);
        assertEquals("sb-study-r001-a2", name);
        assertEquals(Optional.of(new RunAttempt("study-r001", 2)), JobNames.parse(name, "sb-"));
        assertTrue(JobNames.parse(name).isEmpty(), "not ours under the default prefix");
        assertEquals(Optional.of(new RunAttempt("study-r001", 2)), JobNames.parse("study-r001-a2", ""));
    }

    @Test
    void foreignNamesAreNotOurs() {
        for (String name : new String[] {null, "", "bench-", "bench-a1", "bench-study-r001", "other-study-r001-a1",
                "huggingface-pytorch-training-2025-01-15-10-00-00-123", "bench-Study-r001-a1", "bench-study--r001-a1",
                "bench-study_r001-a1", "bench-" + "a".repeat(60) + "-a1"}) {
            assertTrue(JobNames.parse(name).isEmpty(), String.valueOf(name));
        }
        assertTrue(JobNames.parse("bench-study-r001-a1", null).isEmpty());
    }

    @Test
    void badAttemptsAreNotOurs() {
        for (String attempt : new String[] {"0", "01", "007", "", "x", "-1", "1x", "1234567890", "99999999999"}) {
            assertTrue(JobNames.parse("bench-study-r001-a" + attempt).isEmpty(), attempt);
        }
        assertEquals(123_456_789, JobNames.parse("bench-study-r001-a123456789").orElseThrow().attempt());
    }

    @Test
    void refusesToBuildInvalidNames() {
        assertThrows(IllegalArgumentException.class, () -> JobNames.of("d-1-r001", 0));
        assertThrows(IllegalArgumentException.class, () -> JobNames.of("d-1-r001", -1));
        assertThrows(IllegalArgumentException.class, () -> JobNames.of("a".repeat(60), 1));
        assertThrows(IllegalArgumentException.class, () -> JobNames.of("Study-r001", 1));
        assertThrows(IllegalArgumentException.class, () -> JobNames.of(null, 1));
        assertThrows(IllegalArgumentException.class, () -> JobNames.of("bad_prefix_", "study-r001", 1));
        assertThrows(IllegalArgumentException.class, () -> JobNames.of(null, "study-r001", 1));
        assertThrows(IllegalArgumentException.class, () -> JobNames.of("a".repeat(48), 1234567890));
    }

    @Test
    void anAttemptKnowsItsDesign() {
        assertEquals(Optional.of("study"), JobNames.parse("bench-study-r001-a1").orElseThrow().designId());
        assertTrue(JobNames.parse("bench-seed-a1").orElseThrow().designId().isEmpty());
    }

    @Test
    void tagsNameTheRunInTheLaunchersOrder() {
        Map<String, String> tags = JobTags.of("study", new RunAttempt("study-r001", 2), "0123456789ab", null);
        assertEquals(List.of("sagebench:design-id", "sagebench:run-id", "sagebench:cell-id", "sagebench:attempt"),
                List.copyOf(tags.keySet()));
        assertEquals("2", tags.get(JobTags.ATTEMPT));
        String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        assertEquals(traceparent, JobTags.of("study", new RunAttempt("study-r001", 2), "0123456789ab", traceparent)
                .get(JobTags.TRACEPARENT));
        assertThrows(IllegalArgumentException.class,
                () -> JobTags.of("study", new RunAttempt("study-r001", 2), "not-a-cell", null));
    }
}
