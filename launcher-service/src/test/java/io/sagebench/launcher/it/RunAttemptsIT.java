package io.sagebench.launcher.it;

import static io.sagebench.launcher.it.LauncherTestSupport.JOB_STATES;
import static io.sagebench.launcher.it.LauncherTestSupport.LAUNCHES;
import static io.sagebench.launcher.it.LauncherTestSupport.RUNS;
import static io.sagebench.launcher.it.LauncherTestSupport.json;
import static io.sagebench.launcher.it.LauncherTestSupport.launchEvents;
import static io.sagebench.launcher.it.LauncherTestSupport.newDesignId;
import static io.sagebench.launcher.it.LauncherTestSupport.planRun;
import static io.sagebench.launcher.it.LauncherTestSupport.tree;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.sagebench.launcher.domain.RunPlans;
import io.sagebench.testkit.EventContract;
import io.sagebench.testkit.SageMakerEmulatorResource;
import io.sagebench.testkit.TestTopics;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;

/**
 * The launcher's verdict on every ended attempt (RunAttemptEnded), with real jobs in the emulator: a capacity failure
 * is relaunched and said so, the relaunched attempt's end is final; a job that fails for its own reasons is final at
 * once. No monitor runs here, so the test reports each terminal state on bench.job-states as the monitor would, from
 * DescribeTrainingJob.
 */
@QuarkusTest
class RunAttemptsIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    SageMakerClient sageMaker;

    @Test
    void aCapacityFailureIsRelaunchedAndEveryAttemptGetsItsVerdict() {
        FailedFirst f = firstAttemptFailedForCapacity();
        reportTerminal(f.designId(), f.runId(), 1, f.job());

        List<ConsumerRecord<String, String>> verdicts = launchEvents(f.runId(), "RunAttemptEnded", 1, WAIT);
        assertEquals(1, verdicts.size());
        EventContract.assertValid("RunAttemptEnded", verdicts.get(0).value());
        JsonNode v1 = tree(verdicts.get(0).value());
        assertEquals(1, v1.get("attempt").asInt());
        assertEquals(f.first(), v1.get("trainingJobName").asText());
        assertEquals("Failed", v1.get("status").asText());
        assertTrue(v1.get("relaunch").asBoolean());
        assertEquals(2, v1.get("nextAttempt").asInt());
        assertTrue(v1.get("failureReason").asText().startsWith("CapacityError"));

        List<ConsumerRecord<String, String>> launched = launchEvents(f.runId(), "RunLaunched", 2, WAIT);
        assertEquals(2, launched.size());
        EventContract.assertValid("RunLaunched", launched.get(1).value());
        assertEquals(2, tree(launched.get(1).value()).get("attempt").asInt());
        assertEquals(f.second(), tree(launched.get(1).value()).get("trainingJobName").asText());

        DescribeTrainingJobResponse completed = awaitStatus(f.second(), TrainingJobStatus.COMPLETED);
        reportTerminal(f.designId(), f.runId(), 2, completed);

        verdicts = launchEvents(f.runId(), "RunAttemptEnded", 2, WAIT);
        assertEquals(2, verdicts.size());
        EventContract.assertValid("RunAttemptEnded", verdicts.get(1).value());
        JsonNode v2 = tree(verdicts.get(1).value());
        assertEquals(2, v2.get("attempt").asInt());
        assertEquals(f.second(), v2.get("trainingJobName").asText());
        assertEquals("Completed", v2.get("status").asText());
        assertFalse(v2.get("relaunch").asBoolean());
        assertFalse(v2.has("nextAttempt"));

        // A late, repeated end of attempt 1 (its own event id) is no verdict: the run has moved on.
        reportTerminal(f.designId(), f.runId(), 1, f.job());
        assertEquals(2, launchEvents(f.runId(), "RunAttemptEnded", 3, Duration.ofSeconds(3)).size());
        assertEquals(2, launchEvents(f.runId(), "RunLaunched", 3, Duration.ofSeconds(1)).size(), "no third attempt");
    }

    @Test
    void aJobThatFailsForItsOwnReasonIsFinalAtOnce() {
        String designId = newDesignId();
        Map<String, Object> run = shortRun(designId, 1);
        run.put("perDeviceBatchSize", 512); // does not fit a V100's memory: CUDA out of memory
        run.put("globalBatchSize", 512);
        String runId = (String) run.get("runId");
        String jobName = "bench-" + runId + "-a1";
        planRun(run);
        assertEquals(1, launchEvents(runId, "RunLaunched", 1, WAIT).size());
        DescribeTrainingJobResponse failed = awaitStatus(jobName, TrainingJobStatus.FAILED);
        assertTrue(failed.failureReason().contains("out of memory"), failed.failureReason());
        reportTerminal(designId, runId, 1, failed);

        List<ConsumerRecord<String, String>> verdicts = launchEvents(runId, "RunAttemptEnded", 1, WAIT);
        assertEquals(1, verdicts.size());
        EventContract.assertValid("RunAttemptEnded", verdicts.get(0).value());
        JsonNode v = tree(verdicts.get(0).value());
        assertEquals("Failed", v.get("status").asText());
        assertFalse(v.get("relaunch").asBoolean());
        assertEquals(failed.failureReason(), v.get("failureReason").asText());
        assertEquals(1, launchEvents(runId, "RunLaunched", 2, Duration.ofSeconds(2)).size());
    }

    /**
     * The chaos run's race: a run is cancelled after its first job failed for a platform reason and the relaunch was
     * announced, before attempt 2 got a job. Attempt 2 is held back here by throttled CreateTrainingJob calls (it is
     * deferred), which is the same state as a relaunch waiting for its delay. The launcher must say attempt 1 was the
     * last after all, or results-service waits for attempt 2 forever.
     */
    @Test
    void aCancelBeforeTheRelaunchGotAJobCallsTheRelaunchOff() {
        var faults = SageMakerEmulatorResource.emulator().faults();
        FailedFirst f = firstAttemptFailedForCapacity();

        faults.set("throttlePercent", 100); // attempt 2's CreateTrainingJob: "Rate exceeded", so it is deferred
        try {
            reportTerminal(f.designId(), f.runId(), 1, f.job());
            JsonNode relaunch = tree(launchEvents(f.runId(), "RunAttemptEnded", 1, WAIT).get(0).value());
            assertTrue(relaunch.get("relaunch").asBoolean());
            assertEquals(1, launchEvents(f.runId(), "RunDeferred", 1, WAIT).size(), "attempt 2 waits");
            TestTopics.produceEvent(RUNS, f.runId(), "RunCancelRequested",
                    json(Map.of("runId", f.runId(), "designId", f.designId(), "reason", "test")));

            List<ConsumerRecord<String, String>> verdicts = launchEvents(f.runId(), "RunAttemptEnded", 2, WAIT);
            assertEquals(2, verdicts.size(), "a second verdict on attempt 1");
            EventContract.assertValid("RunAttemptEnded", verdicts.get(1).value());
            JsonNode calledOff = tree(verdicts.get(1).value());
            assertEquals(1, calledOff.get("attempt").asInt());
            assertEquals(f.first(), calledOff.get("trainingJobName").asText());
            assertEquals("Failed", calledOff.get("status").asText());
            assertFalse(calledOff.get("relaunch").asBoolean());
            assertFalse(calledOff.has("nextAttempt"));
            assertEquals("cancelled", calledOff.get("relaunchCalledOff").asText());
        } finally {
            faults.set("throttlePercent", 0);
        }
        // Calls go through again, and still attempt 2 never starts.
        assertTrue(launchEvents(f.runId(), "RunLaunched", 2, Duration.ofSeconds(3)).size() < 2, "no attempt 2");
        assertFalse(SageMakerEmulatorResource.emulator().createdJobNames().contains(f.second()), "no job " + f.second());
        assertEquals(2, launchEvents(f.runId(), "RunAttemptEnded", 3, Duration.ofSeconds(1)).size());
    }

    /**
     * Attempt 2 cannot be launched (SageMaker answers every CreateTrainingJob with an internal error until the retries
     * run out): the relaunch is called off, before the RunLaunchFailed that ends the run, so results-service finishes
     * the run from attempt 1 and never counts it as ended without its result.
     */
    @Test
    void aRelaunchThatCannotBeLaunchedIsCalledOffBeforeItsFailure() {
        var faults = SageMakerEmulatorResource.emulator().faults();
        FailedFirst f = firstAttemptFailedForCapacity();

        faults.set("internalErrorPercent", 100);
        List<ConsumerRecord<String, String>> ofRun;
        try {
            reportTerminal(f.designId(), f.runId(), 1, f.job());
            ofRun = await().atMost(WAIT).pollInterval(Duration.ofMillis(500))
                    .until(() -> TestTopics.consume(LAUNCHES, 100, Duration.ofMillis(500), r -> f.runId().equals(r.key())),
                            records -> records.stream().anyMatch(r -> isFinalLaunchFailure(r)));
        } finally {
            faults.set("internalErrorPercent", 0);
        }
        List<String> types = ofRun.stream().map(r -> TestTopics.header(r, "event-type")).toList();
        int calledOffAt = -1;
        for (int i = 0; i < ofRun.size(); i++) {
            JsonNode e = tree(ofRun.get(i).value());
            if ("RunAttemptEnded".equals(types.get(i)) && e.has("relaunchCalledOff")) {
                EventContract.assertValid("RunAttemptEnded", ofRun.get(i).value());
                assertEquals("launch-failed", e.get("relaunchCalledOff").asText());
                assertEquals(f.first(), e.get("trainingJobName").asText());
                assertFalse(e.get("relaunch").asBoolean());
                calledOffAt = i;
            }
        }
        int finalFailureAt = -1;
        for (int i = 0; i < ofRun.size(); i++) {
            if (isFinalLaunchFailure(ofRun.get(i))) {
                finalFailureAt = i;
                assertEquals(2, tree(ofRun.get(i).value()).get("attempt").asInt());
            }
        }
        assertTrue(calledOffAt >= 0, "the relaunch is called off: " + types);
        assertTrue(calledOffAt < finalFailureAt, "called off before attempt 2's final RunLaunchFailed: " + types);
    }

    private static boolean isFinalLaunchFailure(ConsumerRecord<String, String> r) {
        return "RunLaunchFailed".equals(TestTopics.header(r, "event-type"))
                && !tree(r.value()).get("retryable").asBoolean();
    }

    /** A run whose first job failed for lack of capacity (Failed, a platform reason), and its first two job names. */
    private record FailedFirst(String designId, String runId, String first, String second,
                               DescribeTrainingJobResponse job) {
    }

    /** Plans a run with every created job failing for capacity and waits for its first job to fail. */
    private FailedFirst firstAttemptFailedForCapacity() {
        var faults = SageMakerEmulatorResource.emulator().faults();
        String designId = newDesignId();
        Map<String, Object> run = shortRun(designId, 1);
        String runId = (String) run.get("runId");
        faults.set("capacityFailurePercent", 100); // decided when the job is created
        try {
            planRun(run);
            assertEquals(1, launchEvents(runId, "RunLaunched", 1, WAIT).size());
        } finally {
            faults.set("capacityFailurePercent", 0);
        }
        DescribeTrainingJobResponse failed = awaitStatus("bench-" + runId + "-a1", TrainingJobStatus.FAILED);
        assertTrue(failed.failureReason().startsWith("CapacityError"), failed.failureReason());
        return new FailedFirst(designId, runId, "bench-" + runId + "-a1", "bench-" + runId + "-a2", failed);
    }

    /** One V100 for a few hundred steps: seconds of real time at the test clock. */
    private static Map<String, Object> shortRun(String designId, int sequence) {
        Map<String, Object> run = RunPlans.p3Baseline(designId, sequence, 30);
        run.put("steps", 200);
        run.put("epochs", 1);
        run.put("samplesSeen", 6400);
        return run;
    }

    private DescribeTrainingJobResponse awaitStatus(String jobName, TrainingJobStatus status) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> sageMaker.describeTrainingJob(b -> b.trainingJobName(jobName)),
                        d -> d.trainingJobStatus() == status);
    }

    /** What the monitor publishes for a terminal state, checked against the contract. */
    private static void reportTerminal(String designId, String runId, int attempt, DescribeTrainingJobResponse job) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("trainingJobName", job.trainingJobName());
        state.put("trainingJobArn", job.trainingJobArn());
        state.put("runId", runId);
        state.put("designId", designId);
        state.put("attempt", attempt);
        state.put("status", job.trainingJobStatusAsString());
        state.put("secondaryStatus", job.secondaryStatusAsString());
        state.put("lastModifiedTime", job.lastModifiedTime().toString());
        if (job.failureReason() != null) {
            state.put("failureReason", job.failureReason());
        }
        state.put("terminal", true);
        state.put("source", "event");
        String payload = json(state);
        EventContract.assertValid("TrainingJobStateChanged", payload);
        TestTopics.produceEvent(JOB_STATES, job.trainingJobName(), "TrainingJobStateChanged", payload);
    }
}
