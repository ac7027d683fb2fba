package io.sagebench.monitor.domain;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RunIdentityTest {

    @Test
    void parsedFromTheDeterministicJobName() {
        assertEquals(new RunIdentity("d-0123456789ab-r007", "d-0123456789ab", 2),
                RunIdentity.fromJobName("bench-d-0123456789ab-r007-a2", "bench-"));
        assertEquals(new RunIdentity("study-r015", "study", 1), RunIdentity.fromJobName("bench-study-r015-a1", "bench-"));
        assertEquals(RunIdentity.UNKNOWN, RunIdentity.fromJobName("other-job", "bench-"));
        assertEquals(RunIdentity.UNKNOWN, RunIdentity.fromJobName("bench-no-attempt", "bench-"));
    }

    @Test
    void tagsWinThenNameThenLaunches() {
        RunIdentity tags = RunIdentity.fromTags(Map.of("sagebench:run-id", "d1-r001", "sagebench:attempt", "2"));
        RunIdentity name = RunIdentity.fromJobName("bench-d9-r009-a9", "bench-");
        RunIdentity launches = new RunIdentity("x-r001", "x", 5);
        assertEquals(new RunIdentity("d1-r001", "d9", 2), tags.orElse(name).orElse(launches));
        assertEquals(launches, RunIdentity.UNKNOWN.orElse(launches));
    }

    @Test
    void valuesThatBreakTheContractAreUnknown() {
        RunIdentity bad = RunIdentity.fromTags(Map.of("sagebench:run-id", "Has Spaces", "sagebench:design-id", "UPPER",
                "sagebench:attempt", "zero"));
        assertEquals(RunIdentity.UNKNOWN, bad);
        assertEquals(RunIdentity.UNKNOWN, RunIdentity.fromTags(Map.of("sagebench:attempt", "0")));
    }
}
