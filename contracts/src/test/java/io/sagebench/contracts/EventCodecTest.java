package io.sagebench.contracts;

import io.sagebench.contracts.InvalidEventException.Problem;
import io.sagebench.contracts.events.DesignAccepted;
import io.sagebench.contracts.events.DesignSubmitted;
import io.sagebench.contracts.events.Event;
import io.sagebench.contracts.events.RunAttemptEnded;
import io.sagebench.contracts.events.RunLaunched;
import io.sagebench.contracts.events.RunPlanned;
import io.sagebench.contracts.events.RunResult;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventCodecTest {

    private static final String ATTEMPT_ENDED = """
            {"runId":"d-abc-r001","designId":"d-abc","attempt":1,"trainingJobName":"bench-d-abc-r001-a1",
             "status":"Failed","relaunch":false}""";

    @Test
    void unknownFieldsAreIgnored() throws Exception {
        // DesignAccepted as design-service writes it today: reusedFrom and the quote's reusedRuns are not in the schema
        DesignAccepted accepted = EventCodec.read(EventRecordContractTest.payload(EventType.DesignAccepted),
                DesignAccepted.class);
        assertEquals(List.of("d-abc-r001", "d-abc-r002"), accepted.runIds());
        assertEquals(new BigDecimal("1"), accepted.quote().totalUsd());
        assertFalse(EventCodec.write(accepted).contains("reusedFrom"));
    }

    @Test
    void aMissingRequiredFieldIsReportedAtItsOwnPath() {
        List<Problem> problems = problems(ATTEMPT_ENDED.replace("\"relaunch\":false", "\"endedAt\":\"2026-01-01T00:00:00Z\""),
                RunAttemptEnded.class);
        assertEquals(1, problems.size(), problems.toString());
        assertEquals("$.relaunch", problems.get(0).path());
        assertTrue(problems.get(0).message().contains("relaunch"), problems.toString());
    }

    @Test
    void aWrongTypeIsReportedWithItsPath() {
        List<Problem> problems = problems(ATTEMPT_ENDED.replace("\"attempt\":1", "\"attempt\":\"one\""),
                RunAttemptEnded.class);
        assertEquals(List.of("$.attempt"), paths(problems));
    }

    @Test
    void aMalformedInstantIsReportedWithItsPath() throws Exception {
        String json = EventRecordContractTest.payload(EventType.RunLaunched)
                .replace("2026-01-01T00:00:05.123456Z", "yesterday");
        assertEquals(List.of("$.launchedAt"), paths(problems(json, RunLaunched.class)));
    }

    @Test
    void aPatternViolationIsReportedWithItsNestedPath() throws Exception {
        String json = EventRecordContractTest.payload(EventType.RunPlanned)
                .replace("\"runId\":\"study-r001\"", "\"runId\":\"Study_R1\"");
        assertEquals(List.of("$.runId"), paths(problems(json, RunPlanned.class)));
        String submitted = EventRecordContractTest.payload(EventType.DesignSubmitted)
                .replace("\"instanceType\": \"ml.p3.16xlarge\"", "\"instanceType\": \"p3\"");
        assertEquals(List.of("$.clusters[1].instanceType"),
                paths(problems(submitted, DesignSubmitted.class)));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        String json = """
                {"runId":"d-abc-r001","attempt":0,"status":"InProgress","relaunch":"no","nextAttempt":1}""";
        InvalidEventException e = assertThrows(InvalidEventException.class,
                () -> EventCodec.read(json, RunAttemptEnded.class));
        assertEquals(EventType.RunAttemptEnded, e.type());
        assertEquals(Set.of("$.designId", "$.trainingJobName", "$.attempt", "$.status", "$.relaunch", "$.nextAttempt"),
                Set.copyOf(paths(e.problems())), e.problems().toString());
        assertTrue(e.getMessage().contains("$.nextAttempt"), e.getMessage());
    }

    @Test
    void notJsonAndEmptyPayloadsAreProblemsToo() {
        assertEquals(List.of("$"), paths(problems("{\"runId\":", RunAttemptEnded.class)));
        assertEquals(List.of("$"), paths(problems("", RunAttemptEnded.class)));
        assertEquals(List.of("$"), paths(problems(ATTEMPT_ENDED + " trailing", RunAttemptEnded.class)));
        assertEquals(List.of("$"), paths(problems("[]", RunAttemptEnded.class)));
    }

    @Test
    void aValueTheSchemaAllowsButTheRecordCannotHoldIsAProblemWithItsPath() {
        // the schema's integer has no upper bound; the record's Integer has one
        String json = ATTEMPT_ENDED.replace("\"relaunch\":false",
                "\"relaunch\":true,\"nextAttempt\":99999999999999999999");
        List<Problem> problems = problems(json, RunAttemptEnded.class);
        assertEquals(List.of("$.nextAttempt"), paths(problems));
    }

    @Test
    void nullsAreLeftOutAndMoneyKeepsItsDigits() throws Exception {
        RunResult result = EventCodec.read(EventRecordContractTest.payload(EventType.RunResult), RunResult.class);
        assertEquals(new BigDecimal("15.640"), result.costUsd()); // not 15.64, not a double's 15.6399999...
        String json = EventCodec.write(result);
        assertFalse(json.contains("failureReason"), json);
        assertTrue(json.contains("\"costUsd\":15.640"), json);
        assertTrue(json.contains("\"finishedAt\":\"2026-01-01T01:00:00Z\""), json);
        assertFalse(json.contains("\"type\""), json);
    }

    private static List<Problem> problems(String json, Class<? extends Event> type) {
        return assertThrows(InvalidEventException.class, () -> EventCodec.read(json, type)).problems();
    }

    private static List<String> paths(List<Problem> problems) {
        return problems.stream().map(Problem::path).collect(Collectors.toList());
    }
}
