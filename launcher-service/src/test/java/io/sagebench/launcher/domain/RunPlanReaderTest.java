package io.sagebench.launcher.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.sagebench.launcher.app.RunPlanReader;
import io.sagebench.launcher.client.TrainingJobRequestFactory;

class RunPlanReaderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String json(Object o) throws Exception {
        return JSON.writeValueAsString(o);
    }

    @Test
    void readsWhatTheLauncherNeedsAndIgnoresUnknownFields() throws Exception {
        Map<String, Object> run = RunPlans.p4dSpot("d-0123456789ab", 7);
        run.put("somethingNew", Map.of("nested", true));
        RunPlan plan = RunPlanReader.read(json(run));
        assertEquals("d-0123456789ab-r007", plan.runId());
        assertEquals("ml.p4d.24xlarge", plan.instanceType());
        assertEquals(2, plan.instanceCount());
        assertEquals(Distribution.SMDISTRIBUTED, plan.distribution());
        assertEquals(120, plan.volumeSizeGb());
        assertEquals(172800, plan.maxWaitSeconds());
        assertEquals(512, plan.sequenceLength());
        assertEquals("linear", plan.hyperparameters().get("lr_scheduler_type"));
    }

    @Test
    void reportsEveryProblemAtOnce() throws Exception {
        Map<String, Object> run = RunPlans.p4dSpot("d-0123456789ab", 1);
        run.remove("volumeSizeGb");
        run.put("steps", "many");
        run.put("cluster", Map.of("instanceType", "p4d", "instanceCount", 50, "distribution", "horovod"));
        var e = assertThrows(InvalidEventException.class, () -> RunPlanReader.read(json(run)));
        assertEquals(5, e.problems().size(), e.problems().toString());
        assertTrue(e.getMessage().contains("$.volumeSizeGb: required"));
        assertTrue(e.getMessage().contains("$.steps: expected an integer"));
        assertTrue(e.getMessage().contains("$.cluster.instanceCount"));
        assertTrue(e.getMessage().contains("$.cluster.distribution"));
        assertEquals("d-0123456789ab-r001", e.runId());
    }

    @Test
    void garbageIsRejectedWithoutARunId() {
        var e = assertThrows(InvalidEventException.class, () -> RunPlanReader.read("{not json"));
        assertNull(e.runId());
        assertTrue(e.getMessage().startsWith("not JSON"));
        assertThrows(InvalidEventException.class, () -> RunPlanReader.read("[1,2]"));
        assertThrows(InvalidEventException.class, () -> RunPlanReader.read(null));
    }

    @Test
    void requestFactoryRefusesWhatSageMakerWouldReject() throws Exception {
        Map<String, Object> run = RunPlans.p4dSpot("d-0123456789ab", 1);
        run.put("maxWaitSeconds", 60);
        run.put("region", "eu-west-1");
        var factory = new TrainingJobRequestFactory(RunPlans.settings());
        var e = assertThrows(InvalidEventException.class, () -> factory.build(RunPlanReader.read(json(run)), 1));
        assertEquals(2, e.problems().size(), e.problems().toString());
    }

    @Test
    void spotWithoutMaxWaitWaitsTwiceTheRuntime() throws Exception {
        Map<String, Object> run = RunPlans.p4dSpot("d-0123456789ab", 1);
        run.remove("maxWaitSeconds");
        var request = new TrainingJobRequestFactory(RunPlans.settings()).build(RunPlanReader.read(json(run)), 2);
        assertEquals(172800, request.stoppingCondition().maxWaitTimeInSeconds());
        assertEquals("bench-d-0123456789ab-r001-a2", request.trainingJobName());
        assertEquals("2", request.tags().stream().filter(t -> t.key().equals("sagebench:attempt")).findFirst()
                .orElseThrow().value());
    }
}
