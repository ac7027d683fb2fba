package io.sagebench.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemaker.model.SecondaryStatusTransition;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.sagebench.emulator.TestJobs.awaitStatus;
import static io.sagebench.emulator.TestJobs.hyperParameters;
import static io.sagebench.emulator.TestJobs.request;
import static io.sagebench.emulator.TestJobs.smallJob;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each lifecycle path, its billing, and the EventBridge events it sends to SQS. */
class LifecycleEventsTest extends QueueSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** Collects the queue until the job's terminal event has arrived. */
    private static List<JsonNode> eventsUntilTerminal(Env env, String job) {
        List<JsonNode> events = new ArrayList<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            env.drain().stream().filter(e -> e.at("/detail/TrainingJobName").asText().equals(job)).forEach(events::add);
            return events.stream().anyMatch(e -> List.of("Completed", "Failed", "Stopped")
                    .contains(e.at("/detail/TrainingJobStatus").asText()));
        });
        return events;
    }

    @Test
    void aCompletedJobSendsOneEventBridgeEventPerStateChange() throws Exception {
        try (Env env = env(b -> { })) {
            env.sm().createTrainingJob(smallJob("events-1").build());
            DescribeTrainingJobResponse d = awaitStatus(env.sm(), "events-1", WAIT, TrainingJobStatus.COMPLETED);
            List<JsonNode> events = eventsUntilTerminal(env, "events-1");
            assertEquals(List.of("InProgress/Starting", "InProgress/Downloading", "InProgress/Training",
                    "InProgress/Uploading", "Completed/Completed"), states(events));

            JsonNode last = events.get(events.size() - 1);
            assertEquals("0", last.get("version").asText());
            UUID.fromString(last.get("id").asText());
            assertEquals("SageMaker Training Job State Change", last.get("detail-type").asText());
            assertEquals("aws.sagemaker", last.get("source").asText());
            assertEquals("000000000000", last.get("account").asText());
            assertEquals("us-east-1", last.get("region").asText());
            Instant time = Instant.parse(last.get("time").asText());
            assertEquals(d.trainingEndTime().getEpochSecond(), time.getEpochSecond());
            assertEquals(d.trainingJobArn(), last.get("resources").get(0).asText());
            JsonNode detail = last.get("detail");
            assertEquals("events-1", detail.get("TrainingJobName").asText());
            assertEquals(d.trainingJobArn(), detail.get("TrainingJobArn").asText());
            assertTrue(detail.get("CreationTime").isIntegralNumber(), "epoch milliseconds");
            assertEquals(d.creationTime().toEpochMilli(), detail.get("CreationTime").asLong());
            assertEquals(d.trainingStartTime().toEpochMilli(), detail.get("TrainingStartTime").asLong());
            assertEquals(d.trainingEndTime().toEpochMilli(), detail.get("TrainingEndTime").asLong());
            assertEquals(d.lastModifiedTime().toEpochMilli(), detail.get("LastModifiedTime").asLong());
            assertEquals(5, detail.get("SecondaryStatusTransitions").size());
            assertEquals("sagebench:run-id", detail.at("/Tags/0/Key").asText());
            assertEquals("events-1", detail.at("/Tags/0/Value").asText());
            assertEquals("ml.p3.2xlarge", detail.at("/ResourceConfig/InstanceType").asText());
            assertEquals(TestJobs.IMAGE, detail.at("/AlgorithmSpecification/TrainingImage").asText());
            assertTrue(detail.has("HyperParameters") && detail.has("StoppingCondition") && detail.has("RoleArn"));
            // The real event has neither billing nor metrics: DescribeTrainingJob is the source for those.
            assertFalse(detail.has("BillableTimeInSeconds"));
            assertFalse(detail.has("TrainingTimeInSeconds"));
            assertFalse(detail.has("FinalMetricDataList"));
            assertFalse(detail.has("FailureReason"));

            JsonNode first = events.get(0).get("detail");
            assertFalse(first.has("TrainingStartTime"), "not started yet when Starting was sent");
            assertEquals(1, first.get("SecondaryStatusTransitions").size());
            assertEquals(5, events.stream().map(e -> e.get("id").asText()).distinct().count());
            assertEquals(5, env.emulator().faults().count(Faults.EVENTS_SENT));
        }
    }

    @Test
    void anOutOfMemoryJobFailsWithItsReasonInDescribeAndInTheEvent() throws Exception {
        try (Env env = env(b -> { })) {
            env.sm().createTrainingJob(request("oom-1", "ml.p3.2xlarge", 1,
                    hyperParameters("bert-large-uncased", 1000, 64, 100_000, false, "5e-05")).build());
            DescribeTrainingJobResponse d = awaitStatus(env.sm(), "oom-1", WAIT, TrainingJobStatus.FAILED);
            assertTrue(d.failureReason().contains("CUDA out of memory"), d.failureReason());
            assertEquals("Failed", d.secondaryStatusAsString());
            assertEquals(d.trainingTimeInSeconds(), d.billableTimeInSeconds(), "failed attempts are billed");
            assertTrue(d.finalMetricDataList().isEmpty());
            List<JsonNode> events = eventsUntilTerminal(env, "oom-1");
            JsonNode failed = events.get(events.size() - 1);
            assertEquals("Failed/Failed", states(List.of(failed)).get(0));
            assertEquals(d.failureReason(), failed.at("/detail/FailureReason").asText());
        }
    }

    @Test
    void aVolumeTooSmallForTheDataFailsWithTheArchiveError() throws Exception {
        try (Env env = env(b -> { })) {
            env.sm().createTrainingJob(request("archive-1", "ml.p3.2xlarge", 1,
                    hyperParameters("distilbert-base-uncased", 1000, 32, 1_000_000, false, "5e-05"))
                    .resourceConfig(r -> r.instanceType("ml.p3.2xlarge").instanceCount(1).volumeSizeInGB(5)).build());
            DescribeTrainingJobResponse d = awaitStatus(env.sm(), "archive-1", WAIT, TrainingJobStatus.FAILED);
            assertTrue(d.failureReason().contains("ArchiveError"), d.failureReason());
            assertEquals(List.of("Starting", "Downloading", "Failed"), phases(d));
        }
    }

    @Test
    void stopTrainingJobGoesThroughStoppingToStopped() throws Exception {
        try (Env env = env(b -> b.clockFactor(500))) {
            env.sm().createTrainingJob(request("stop-1", "ml.p3.2xlarge", 1,
                    hyperParameters("distilbert-base-uncased", 100_000, 32, 100_000, false, "5e-05")).build());
            await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> "Training".equals(
                    env.sm().describeTrainingJob(b -> b.trainingJobName("stop-1")).secondaryStatusAsString()));
            assertNotNull(env.sm().stopTrainingJob(b -> b.trainingJobName("stop-1")));
            DescribeTrainingJobResponse stopping = env.sm().describeTrainingJob(b -> b.trainingJobName("stop-1"));
            // The 30 s simulated grace is 60 ms here: a slow machine may already see Stopped.
            assertTrue(List.of(TrainingJobStatus.STOPPING, TrainingJobStatus.STOPPED).contains(stopping.trainingJobStatus()));

            DescribeTrainingJobResponse d = awaitStatus(env.sm(), "stop-1", WAIT, TrainingJobStatus.STOPPED);
            assertEquals("Stopped", d.secondaryStatusAsString());
            assertEquals(List.of("Starting", "Downloading", "Training", "Stopping", "Stopped"), phases(d));
            long wall = Duration.between(d.trainingStartTime(), d.trainingEndTime()).getSeconds();
            assertEquals(wall, d.billableTimeInSeconds(), 1);
            assertTrue(d.billableTimeInSeconds() < 78_000, "stopped long before the planned end");

            List<JsonNode> events = eventsUntilTerminal(env, "stop-1");
            assertEquals(List.of("Stopping/Stopping", "Stopped/Stopped"),
                    states(events).subList(events.size() - 2, events.size()));

            SageMakerException again = TestJobs.sageMakerError(
                    () -> env.sm().stopTrainingJob(b -> b.trainingJobName("stop-1")));
            assertEquals("ValidationException", again.awsErrorDetails().errorCode());
        }
    }

    @Test
    void maxRuntimeStopsTheJobAndBillsExactlyTheMaxRuntime() throws Exception {
        try (Env env = env(b -> { })) {
            env.sm().createTrainingJob(smallJob("runtime-1").stoppingCondition(s -> s.maxRuntimeInSeconds(300)).build());
            DescribeTrainingJobResponse d = awaitStatus(env.sm(), "runtime-1", WAIT, TrainingJobStatus.STOPPED);
            assertEquals("MaxRuntimeExceeded", d.secondaryStatusAsString());
            assertEquals(300, d.trainingTimeInSeconds().intValue());
            assertEquals(300, d.billableTimeInSeconds().intValue());
            List<JsonNode> events = eventsUntilTerminal(env, "runtime-1");
            assertEquals("Stopped/MaxRuntimeExceeded", states(events).get(events.size() - 1));
        }
    }

    @Test
    void spotBillsOnlyAShareOfTheTimeActuallyTrained() throws Exception {
        try (Env env = env(b -> { })) {
            env.sm().createTrainingJob(smallJob("spot-1").enableManagedSpotTraining(true)
                    .stoppingCondition(s -> s.maxRuntimeInSeconds(86400).maxWaitTimeInSeconds(172800)).build());
            DescribeTrainingJobResponse d = awaitStatus(env.sm(), "spot-1", WAIT, TrainingJobStatus.COMPLETED);
            assertTrue(d.enableManagedSpotTraining());
            long wall = Duration.between(d.trainingStartTime(), d.trainingEndTime()).getSeconds();
            assertEquals(wall, d.trainingTimeInSeconds().longValue());
            assertEquals(Math.round(wall * LifecyclePlanner.SPOT_BILLED_FRACTION), d.billableTimeInSeconds(), 1);
        }
    }

    @Test
    void anInterruptedSpotJobRestartsFromItsCheckpointAndIsNotBilledForTheWait() throws Exception {
        try (Env env = env(b -> b.faults(new FaultSettings().spotInterruptionPercent(100)))) {
            env.sm().createTrainingJob(smallJob("spot-int-1").enableManagedSpotTraining(true)
                    .checkpointConfig(c -> c.s3Uri("s3://bench/checkpoints/spot-int-1"))
                    .stoppingCondition(s -> s.maxRuntimeInSeconds(86400).maxWaitTimeInSeconds(172800)).build());
            DescribeTrainingJobResponse d = awaitStatus(env.sm(), "spot-int-1", WAIT, TrainingJobStatus.COMPLETED);
            assertEquals(List.of("Starting", "Downloading", "Training", "Interrupted", "Starting", "Downloading",
                    "Training", "Uploading", "Completed"), phases(d));
            long running = 0;
            for (SecondaryStatusTransition t : d.secondaryStatusTransitions()) {
                if (List.of("Downloading", "Training", "Uploading").contains(t.statusAsString())) {
                    running += Duration.between(t.startTime(), t.endTime()).getSeconds();
                }
            }
            long wall = Duration.between(d.trainingStartTime(), d.trainingEndTime()).getSeconds();
            assertTrue(running < wall, "the wait for capacity is not running time");
            assertEquals(Math.round(running * LifecyclePlanner.SPOT_BILLED_FRACTION), d.billableTimeInSeconds(), 1);
            assertTrue(d.billableTimeInSeconds() < d.trainingTimeInSeconds());
            assertEquals(1, env.emulator().faults().count(Faults.SPOT_INTERRUPTIONS));
            List<JsonNode> events = eventsUntilTerminal(env, "spot-int-1");
            assertTrue(states(events).contains("InProgress/Interrupted"));
        }
    }

    @Test
    void aSpotJobThatCannotFinishWithinMaxWaitEndsMaxWaitTimeExceeded() throws Exception {
        try (Env env = env(b -> { })) {
            env.sm().createTrainingJob(smallJob("maxwait-1").enableManagedSpotTraining(true)
                    .stoppingCondition(s -> s.maxRuntimeInSeconds(400).maxWaitTimeInSeconds(400)).build());
            DescribeTrainingJobResponse d = awaitStatus(env.sm(), "maxwait-1", WAIT, TrainingJobStatus.STOPPED);
            assertEquals("MaxWaitTimeExceeded", d.secondaryStatusAsString());
            assertEquals(d.creationTime().plusSeconds(400), d.lastModifiedTime());
        }
    }

    @Test
    void aCapacityFailureFailsTheJobBeforeItStartsAndBillsNothing() throws Exception {
        try (Env env = env(b -> b.faults(new FaultSettings().capacityFailurePercent(100)))) {
            env.sm().createTrainingJob(smallJob("capacity-1").build());
            DescribeTrainingJobResponse d = awaitStatus(env.sm(), "capacity-1", WAIT, TrainingJobStatus.FAILED);
            assertTrue(d.failureReason().startsWith("CapacityError: "), d.failureReason());
            assertNull(d.trainingStartTime());
            assertNull(d.billableTimeInSeconds());
            assertEquals("Insufficient capacity error from EC2 while launching instances, retrying!",
                    d.secondaryStatusTransitions().get(0).statusMessage());
            assertEquals(1, env.emulator().faults().count(Faults.CAPACITY_FAILURES));
            List<JsonNode> events = eventsUntilTerminal(env, "capacity-1");
            assertEquals(List.of("InProgress/Starting", "Failed/Failed"), states(events));
            assertEquals(d.failureReason(), events.get(1).at("/detail/FailureReason").asText());
        }
    }

    @Test
    void eventsWaitForAnUnavailableQueueAndAreNotLost() throws Exception {
        String queueName = "late-queue-" + System.nanoTime();
        String queueUrl = sqsEndpoint + "/000000000000/" + queueName;
        try (SageMakerEmulator emulator = SageMakerEmulator.start(TestJobs.fastConfig().events(sqsEndpoint, queueUrl).build());
             var sm = TestJobs.client(emulator)) {
            sm.createTrainingJob(smallJob("late-1").build());
            awaitStatus(sm, "late-1", WAIT, TrainingJobStatus.COMPLETED);
            await().atMost(WAIT).until(() -> emulator.faults().count(Faults.EVENT_SEND_FAILURES) > 0);
            assertEquals(0, emulator.faults().count(Faults.EVENTS_SENT));

            assertEquals(queueUrl, sqs.createQueue(b -> b.queueName(queueName)).queueUrl());
            Env env = new Env(emulator, sm, queueUrl);
            List<JsonNode> events = eventsUntilTerminal(env, "late-1");
            assertEquals(List.of("InProgress/Starting", "InProgress/Downloading", "InProgress/Training",
                    "InProgress/Uploading", "Completed/Completed"), states(events));
        }
    }

    private static List<String> phases(DescribeTrainingJobResponse d) {
        return d.secondaryStatusTransitions().stream().map(SecondaryStatusTransition::statusAsString).toList();
    }
}
