package io.sagebench.results.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebench.results.domain.AttemptEnded;
import io.sagebench.testkit.EventContract;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RunAttemptEnded read tolerantly: what results-service needs, every problem listed when it is not there. */
class AttemptEndedEventTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readsARelaunchVerdictAndIgnoresUnknownFields() throws Exception {
        String json = """
                {"runId":"d-abc-r001","designId":"d-abc","attempt":1,"trainingJobName":"bench-d-abc-r001-a1",
                 "status":"Failed","failureReason":"CapacityError: x","relaunch":true,"nextAttempt":2,
                 "endedAt":"2026-01-01T00:00:00Z","someFutureField":[1]}""";
        EventContract.assertValid("RunAttemptEnded", json);
        AttemptEnded e = IncomingEvents.attemptEnded(JSON.readTree(json));
        assertEquals("d-abc-r001", e.runId());
        assertEquals(1, e.attempt());
        assertEquals("bench-d-abc-r001-a1", e.trainingJobName());
        assertTrue(e.relaunch());
        assertEquals(2, e.nextAttempt());
    }

    @Test
    void derivesTheDesignFromTheRun() throws Exception {
        AttemptEnded e = IncomingEvents.attemptEnded(JSON.readTree("""
                {"runId":"d-abc-r002","attempt":3,"trainingJobName":"bench-d-abc-r002-a3","status":"Completed",
                 "relaunch":false}"""));
        assertEquals("d-abc", e.designId());
        assertFalse(e.relaunch());
        assertNull(e.nextAttempt());
    }

    @Test
    void readsAVerdictThatCallsARelaunchOff() throws Exception {
        String json = """
                {"runId":"d-abc-r001","designId":"d-abc","attempt":1,"trainingJobName":"bench-d-abc-r001-a1",
                 "status":"Failed","relaunch":false,"relaunchCalledOff":"cancelled"}""";
        EventContract.assertValid("RunAttemptEnded", json);
        AttemptEnded e = IncomingEvents.attemptEnded(JSON.readTree(json));
        assertFalse(e.relaunch());
        assertEquals("cancelled", e.relaunchCalledOff());
    }

    @Test
    void aCalledOffRelaunchMustSayWhyAndNotRelaunch() {
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> IncomingEvents.attemptEnded(
                JSON.readTree("""
                        {"runId":"d-abc-r001","attempt":1,"trainingJobName":"bench-d-abc-r001-a1","status":"Failed",
                         "relaunch":true,"relaunchCalledOff":"tired"}""")));
        String m = e.getMessage();
        assertTrue(m.contains("relaunchCalledOff must be one of [cancelled, launch-failed], got tired"), m);
        assertTrue(m.contains("relaunch must be false"), m);
    }

    @Test
    void listsEveryProblem() {
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> IncomingEvents.attemptEnded(
                JSON.readTree("{\"runId\":\"d-abc-r001\",\"attempt\":0,\"status\":\"InProgress\"}")));
        String m = e.getMessage();
        assertTrue(m.contains("trainingJobName"), m);
        assertTrue(m.contains("status"), m);
        assertTrue(m.contains("relaunch"), m);
        assertTrue(m.contains("attempt"), m);
    }
}
