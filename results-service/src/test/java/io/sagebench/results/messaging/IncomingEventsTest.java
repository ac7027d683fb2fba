package io.sagebench.results.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebench.results.domain.JobState;
import io.sagebench.results.domain.PlannedRun;
import io.sagebench.testkit.EventContract;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IncomingEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static String runPlanned(String designId, int sequence, String instanceType, int count, int gpusPerInstance) {
        String runId = String.format("%s-r%03d", designId, sequence);
        return """
                {"runId":"%s","designId":"%s","cellId":"0123456789ab","sequence":%d,"replicate":1,
                 "model":{"hubId":"distilbert-base-uncased","parameters":66955010,"sequenceLength":512},
                 "dataset":{"hubId":"amazon_polarity","size":100000,"trainFraction":0.9,"splitSeed":42},
                 "cluster":{"instanceType":"%s","instanceCount":%d,"gpusPerInstance":%d,"totalGpus":%d,
                            "distribution":"%s"},
                 "perDeviceBatchSize":32,"globalBatchSize":%d,"learningRate":5e-5,"steps":2637,"epochs":30.0,
                 "samplesSeen":2700000,"volumeSizeGb":30,"maxRuntimeSeconds":86400,"spot":false,"region":"us-east-1",
                 "someFutureField":{"x":1},
                 "quote":{"seconds":1200,"usd":37.5,"hourlyPriceUsd":28.152,"priceBookVersion":"2021-study"}}"""
                .formatted(runId, designId, sequence, instanceType, count, gpusPerInstance, count * gpusPerInstance,
                        count > 1 ? "smdistributed" : "none", 32 * count * gpusPerInstance);
    }

    @Test
    void readsAValidRunPlannedAndIgnoresUnknownFields() throws Exception {
        String json = runPlanned("d-abc", 7, "ml.p3.16xlarge", 4, 8);
        EventContract.assertValid("RunPlanned", json);
        PlannedRun p = IncomingEvents.runPlanned(JSON.readTree(json));
        assertEquals("d-abc-r007", p.plan().runId());
        assertEquals(32, p.plan().totalGpus());
        assertEquals(1024, p.plan().globalBatchSize());
        assertEquals(28.152, p.quoteHourlyPrice());
    }

    @Test
    void designAcceptedCountsTheRunsDesignServiceReused() throws Exception {
        String json = """
                {"designId":"d-abc","runCount":2,"quote":{"totalUsd":1,"totalSeconds":60,"priceBookVersion":"2021-study",
                 "reusedRuns":1,"savedUsd":0.5},"runIds":["d-abc-r001","d-abc-r002"],
                 "reusedFrom":{"d-abc-r003":"d-old-r001"},"acceptedAt":"2026-01-01T00:00:00Z"}""";
        EventContract.assertValid("DesignAccepted", json);
        assertEquals(1, IncomingEvents.designAccepted(JSON.readTree(json)).reusedRuns());
        // Older producers only count them in the quote; a design without reuse has neither.
        assertEquals(1, IncomingEvents.designAccepted(JSON.readTree(json.replace("\"reusedFrom\"", "\"x\""))).reusedRuns());
        assertEquals(0, IncomingEvents.designAccepted(JSON.readTree(json.replace("\"reusedFrom\"", "\"x\"")
                .replace("\"reusedRuns\":1,", ""))).reusedRuns());
    }

    @Test
    void listsEveryProblemOfABrokenRunPlanned() throws Exception {
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> IncomingEvents.runPlanned(
                JSON.readTree("{\"runId\":\"x-r001\",\"sequence\":\"one\",\"cluster\":{}}")));
        assertTrue(e.getMessage().contains("$.designId"), e.getMessage());
        assertTrue(e.getMessage().contains("$.sequence must be an integer"), e.getMessage());
        assertTrue(e.getMessage().contains("$.cluster.instanceType"), e.getMessage());
    }

    @Test
    void aJobStateWithoutRunIdIsTracedThroughTheJobName() throws Exception {
        JobState s = IncomingEvents.jobState(JSON.readTree("""
                {"trainingJobName":"bench-d-abc-r012-a2","status":"Completed","secondaryStatus":"Completed",
                 "lastModifiedTime":"2026-01-01T00:00:00Z"}"""));
        assertEquals("d-abc-r012", s.runId());
        assertEquals("d-abc", s.designId());
        assertEquals(2, s.attempt());
        assertTrue(s.terminal());
    }

    @Test
    void aJobStateOfAForeignJobIsRejected() {
        assertThrows(InvalidEventException.class, () -> IncomingEvents.jobState(JSON.readTree("""
                {"trainingJobName":"someone-elses-job","status":"Completed","secondaryStatus":"Completed",
                 "lastModifiedTime":"2026-01-01T00:00:00Z"}""")));
        assertThrows(InvalidEventException.class, () -> IncomingEvents.jobState(JSON.readTree("""
                {"trainingJobName":"bench-d-r001-a1","status":"Exploded","secondaryStatus":"Completed"}""")));
    }

    @Test
    void membersOfTheWrongKindsAreProblemsNamedNotEmptyStrings() throws Exception {
        // optional members too: an object where a string/number/boolean belongs is poison, not "absent"
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> IncomingEvents.jobState(JSON.readTree(
                "{\"trainingJobName\":\"bench-d-r001-a1\",\"status\":\"Completed\",\"runId\":{\"x\":1},"
                        + "\"attempt\":\"one\"}")));
        assertTrue(e.getMessage().contains("$.runId") && e.getMessage().contains("$.attempt"), e.getMessage());
        e = assertThrows(InvalidEventException.class, () -> IncomingEvents.launch("RunLaunchFailed", JSON.readTree(
                "{\"runId\":\"d-r001\",\"attempt\":1,\"retryable\":\"yes\",\"designId\":[\"d\"]}")));
        assertTrue(e.getMessage().contains("$.retryable") && e.getMessage().contains("$.designId"), e.getMessage());
        e = assertThrows(InvalidEventException.class, () -> IncomingEvents.designAccepted(JSON.readTree(
                "{\"designId\":{\"id\":\"d\"},\"runCount\":1,\"runIds\":[\"d-r001\"]}")));
        assertTrue(e.getMessage().contains("$.designId"), e.getMessage());
        e = assertThrows(InvalidEventException.class, () -> IncomingEvents.runCancelRequested(JSON.readTree(
                "{\"runId\":\"d-r001\",\"designId\":\"d\",\"reason\":{\"why\":1}}")));
        assertTrue(e.getMessage().contains("$.reason"), e.getMessage());
        e = assertThrows(InvalidEventException.class, () -> IncomingEvents.attemptEnded(JSON.readTree(
                "{\"runId\":\"d-r001\",\"attempt\":1,\"trainingJobName\":\"bench-d-r001-a1\",\"status\":\"Failed\","
                        + "\"relaunch\":true,\"nextAttempt\":{\"n\":2}}")));
        assertTrue(e.getMessage().contains("$.nextAttempt"), e.getMessage());
    }
}
