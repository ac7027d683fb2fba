package io.sagebench.testkit;

import io.sagebench.contracts.EventType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contracts themselves: every event's schema loads from the contracts jar, and rejects what it should. */
class EventContractTest {

    @Test
    void everySchemaLoadsAndRejectsAnEmptyObjectMissingItsRequiredFields() {
        assertEquals(14, EventType.values().length, "one schema per event of the architecture's topic table");
        for (EventType type : EventType.values()) {
            assertFalse(EventContract.violations(type.name(), "{}").isEmpty(), type + " accepts an empty object");
        }
    }

    @Test
    void aRunPlannedLikeTheStudysPasses() {
        String json = """
                {"runId":"study-r001","designId":"study","cellId":"0123456789ab","sequence":1,"replicate":1,
                 "model":{"hubId":"distilbert-base-uncased","parameters":66955010,"sequenceLength":512},
                 "dataset":{"hubId":"amazon_polarity","size":100000,"trainFraction":0.9,"splitSeed":42},
                 "cluster":{"instanceType":"ml.p3.16xlarge","instanceCount":4,"gpusPerInstance":8,"totalGpus":32,"distribution":"smdistributed"},
                 "perDeviceBatchSize":32,"globalBatchSize":1024,"learningRate":5e-5,"steps":2637,"epochs":30,"samplesSeen":2700000,
                 "volumeSizeGb":30,"maxRuntimeSeconds":86400,"spot":false,"region":"us-east-1","futureField":"ignored"}""";
        assertTrue(EventContract.violations("RunPlanned", json).isEmpty(), () -> EventContract.violations("RunPlanned", json).toString());
    }

    @Test
    void violationsNameEveryProblem() {
        String json = """
                {"runId":"Study_R1","designId":"study","cellId":"xyz","sequence":0,"replicate":1,
                 "model":{"hubId":"m"},"dataset":{"hubId":"d","size":1},
                 "cluster":{"instanceType":"p3","instanceCount":1,"gpusPerInstance":1,"totalGpus":1,"distribution":"horovod"},
                 "perDeviceBatchSize":32,"globalBatchSize":32,"learningRate":5e-5,"steps":1,"epochs":1,"samplesSeen":1,
                 "volumeSizeGb":30,"maxRuntimeSeconds":86400,"spot":false,"region":"us-east-1"}""";
        List<String> v = EventContract.violations("RunPlanned", json);
        assertTrue(v.size() >= 4, v.toString()); // runId, cellId, sequence, distribution
        AssertionError e = assertThrows(AssertionError.class, () -> EventContract.assertValid("RunPlanned", json));
        assertTrue(e.getMessage().contains("distribution"), e.getMessage());
    }
}
