package io.sagebench.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.ResourceLimitExceededException;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemaker.model.SecondaryStatusTransition;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.sagebench.emulator.TestJobs.awaitStatus;
import static io.sagebench.emulator.TestJobs.hyperParameters;
import static io.sagebench.emulator.TestJobs.request;
import static io.sagebench.emulator.TestJobs.sageMakerError;
import static io.sagebench.emulator.TestJobs.smallJob;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every fault switch, the account limits, and determinism under a seed. */
class FaultsAndLimitsTest extends QueueSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> ALL_STATES = List.of("InProgress/Starting", "InProgress/Downloading",
            "InProgress/Training", "InProgress/Uploading", "Completed/Completed");

    /** Runs one small job to completion and returns the events the queue got once nothing is pending any more. */
    private static List<JsonNode> runAndCollect(Env env, String name) {
        env.sm().createTrainingJob(smallJob(name).build());
        awaitStatus(env.sm(), name, WAIT, TrainingJobStatus.COMPLETED);
        await().atMost(WAIT).until(() -> env.emulator().pendingEvents() == 0);
        List<JsonNode> events = new ArrayList<>();
        // SQS may hand out a just-sent message a little later; collect until two empty polls in a row.
        int empty = 0;
        while (empty < 2) {
            List<JsonNode> batch = env.drain();
            if (batch.isEmpty()) {
                empty++;
                sleep(200);
            } else {
                empty = 0;
                events.addAll(batch);
            }
        }
        return events;
    }

    @Test
    void droppedEventsNeverArriveAndAreCounted() throws Exception {
        try (Env env = env(b -> b.faults(new FaultSettings().dropEventPercent(100)))) {
            assertEquals(List.of(), runAndCollect(env, "drop-1"));
            assertEquals(5, env.emulator().faults().count(Faults.EVENTS_DROPPED));
            assertEquals(0, env.emulator().faults().count(Faults.EVENTS_SENT));
        }
    }

    @Test
    void duplicatedEventsArriveTwiceWithTheSameId() throws Exception {
        try (Env env = env(b -> b.faults(new FaultSettings().duplicateEventPercent(100)))) {
            List<JsonNode> events = runAndCollect(env, "dup-events-1");
            assertEquals(10, events.size());
            assertEquals(5, events.stream().map(e -> e.get("id").asText()).distinct().count());
            assertEquals(ALL_STATES, states(events).stream().distinct().toList());
            assertEquals(5, env.emulator().faults().count(Faults.EVENTS_DUPLICATED));
        }
    }

    @Test
    void reorderedEventsArriveAfterTheirSuccessor() throws Exception {
        try (Env env = env(b -> b.faults(new FaultSettings().reorderEventPercent(100)))) {
            List<JsonNode> events = runAndCollect(env, "reorder-1");
            // Starting is held until Downloading went out, Training until Uploading; the terminal event is never held.
            assertEquals(List.of("InProgress/Downloading", "InProgress/Starting", "InProgress/Uploading",
                    "InProgress/Training", "Completed/Completed"), states(events));
            assertEquals(2, env.emulator().faults().count(Faults.EVENTS_REORDERED));
        }
    }

    @Test
    void delayedEventsArriveLate() throws Exception {
        try (Env env = env(b -> b.faults(new FaultSettings().delayEventPercent(100).eventDelayMillis(3000)))) {
            long start = System.nanoTime();
            env.sm().createTrainingJob(smallJob("delay-1").build());
            awaitStatus(env.sm(), "delay-1", WAIT, TrainingJobStatus.COMPLETED);
            if (System.nanoTime() - start < 2_000_000_000L) {
                assertEquals(List.of(), env.drain(), "nothing before the delay");
            }
            List<JsonNode> events = new ArrayList<>();
            await().atMost(WAIT).until(() -> {
                events.addAll(env.drain());
                return events.size() == 5;
            });
            assertTrue(System.nanoTime() - start >= 3_000_000_000L);
            assertEquals(ALL_STATES, states(events));
            assertEquals(5, env.emulator().faults().count(Faults.EVENTS_DELAYED));
        }
    }

    @Test
    void throttlingAndInternalErrorsCanBeSwitchedOnAndOffOverTheAdminEndpoint() throws Exception {
        try (Env env = env(b -> { })) {
            URI admin = URI.create(env.emulator().endpoint() + "/_emulator/faults");
            assertEquals(200, postJson(admin, "{\"throttlePercent\": 100}").statusCode());
            SageMakerException throttled = sageMakerError(() -> env.sm().listTrainingJobs(b -> { }));
            assertEquals("ThrottlingException", throttled.awsErrorDetails().errorCode());
            assertEquals("Rate exceeded", throttled.awsErrorDetails().errorMessage());
            assertTrue(throttled.isThrottlingException());

            assertEquals(200, postJson(admin, "{\"throttlePercent\": 0, \"internalErrorPercent\": 100}").statusCode());
            SageMakerException internal = sageMakerError(() -> env.sm().listTrainingJobs(b -> { }));
            assertEquals(500, internal.statusCode());
            assertEquals("InternalFailure", internal.awsErrorDetails().errorCode());

            HttpResponse<String> state = postJson(admin, "{\"internalErrorPercent\": 0}");
            JsonNode body = JSON.readTree(state.body());
            assertEquals(1, body.at("/counts/throttled").asInt());
            assertEquals(1, body.at("/counts/internalErrors").asInt());
            assertEquals(0.0, body.at("/settings/internalErrorPercent").asDouble());
            env.sm().listTrainingJobs(b -> { });   // healthy again

            HttpResponse<String> bad = postJson(admin, "{\"throttlePercent\": 150, \"bogus\": 1, \"eventDelayMillis\": -5}");
            assertEquals(400, bad.statusCode());
            assertEquals(3, JSON.readTree(bad.body()).get("problems").size(), bad.body());
            JsonNode unchanged = JSON.readTree(TestJobs.get(admin).body());
            assertEquals(0.0, unchanged.at("/settings/throttlePercent").asDouble(), "a bad request changes nothing");
        }
    }

    @Test
    void aFractionOfCallsIsThrottledReproduciblyUnderASeed() throws Exception {
        List<Boolean> first = throttlePattern(99);
        List<Boolean> second = throttlePattern(99);
        assertEquals(first, second);
        long throttled = first.stream().filter(x -> x).count();
        assertTrue(throttled > 5 && throttled < 35, "about 30% of 60 calls: " + throttled);
        assertNotEquals(first, throttlePattern(100));
    }

    private static List<Boolean> throttlePattern(long seed) throws Exception {
        List<Boolean> pattern = new ArrayList<>();
        try (SageMakerEmulator emulator = SageMakerEmulator.start(TestJobs.fastConfig().seed(seed)
                .faults(new FaultSettings().throttlePercent(30)).build());
             SageMakerClient sm = TestJobs.client(emulator)) {
            for (int i = 0; i < 60; i++) {
                try {
                    sm.listTrainingJobs(b -> { });
                    pattern.add(false);
                } catch (SageMakerException e) {
                    pattern.add(true);
                }
            }
            assertEquals(pattern.stream().filter(x -> x).count(), emulator.faults().count(Faults.THROTTLED));
        }
        return pattern;
    }

    @Test
    void createTrainingJobIsLimitedToOnePerSecondByDefault() throws Exception {
        try (SageMakerEmulator emulator = SageMakerEmulator.start(EmulatorConfig.builder().port(0).clockFactor(1000).build());
             SageMakerClient sm = TestJobs.client(emulator)) {
            sm.createTrainingJob(smallJob("rate-1").build());
            SageMakerException e = sageMakerError(() -> sm.createTrainingJob(smallJob("rate-2").build()));
            assertEquals("ThrottlingException", e.awsErrorDetails().errorCode());
            assertEquals("Rate exceeded", e.awsErrorDetails().errorMessage());
            assertEquals(List.of("rate-1"), emulator.createdJobNames(), "a throttled call creates nothing");
            sleep(1100);
            sm.createTrainingJob(smallJob("rate-2").build());
            assertEquals(1, emulator.faults().count(Faults.RATE_LIMITED));
            // Other operations are not limited by it.
            for (int i = 0; i < 5; i++) sm.describeTrainingJob(b -> b.trainingJobName("rate-1"));
        }
    }

    @Test
    void instanceQuotasRejectWithTheRealMessageAndFreeUpWhenJobsEnd() throws Exception {
        try (SageMakerEmulator emulator = SageMakerEmulator.start(TestJobs.fastConfig().clockFactor(200)
                .instanceQuota("ml.p3.16xlarge", 4).instanceQuota("ml.p3.2xlarge", 0).build());
             SageMakerClient sm = TestJobs.client(emulator)) {
            ResourceLimitExceededException zero = assertThrows(ResourceLimitExceededException.class,
                    () -> sm.createTrainingJob(smallJob("quota-0").build()));
            assertEquals("ResourceLimitExceeded", zero.awsErrorDetails().errorCode());
            assertEquals("The account-level service limit 'ml.p3.2xlarge for training job usage' is 0 Instances, with "
                    + "current utilization of 0 Instances and a request delta of 1 Instances. Please contact AWS support "
                    + "to request an increase for this limit.", zero.awsErrorDetails().errorMessage());

            Map<String, String> big = hyperParameters("distilbert-base-uncased", 100_000, 32, 600_000, true, "5e-05");
            sm.createTrainingJob(request("quota-1", "ml.p3.16xlarge", 2, big).build());
            sm.createTrainingJob(request("quota-2", "ml.p3.16xlarge", 2, big).build());
            ResourceLimitExceededException full = assertThrows(ResourceLimitExceededException.class,
                    () -> sm.createTrainingJob(request("quota-3", "ml.p3.16xlarge", 2, big).build()));
            assertTrue(full.awsErrorDetails().errorMessage().contains(
                    "is 4 Instances, with current utilization of 4 Instances and a request delta of 2 Instances"));
            assertEquals(2, emulator.faults().count(Faults.QUOTA_REJECTED));

            sm.stopTrainingJob(b -> b.trainingJobName("quota-1"));
            awaitStatus(sm, "quota-1", WAIT, TrainingJobStatus.STOPPED);
            sm.createTrainingJob(request("quota-3", "ml.p3.16xlarge", 2, big).build());
            assertEquals(List.of("quota-1", "quota-2", "quota-3"), emulator.createdJobNames());
        }
    }

    @Test
    void theSameSeedAndRequestsGiveTheSameJobs() throws Exception {
        List<String> a = runSeeded(5);
        List<String> b = runSeeded(5);
        assertEquals(a, b);
        assertNotEquals(a, runSeeded(6));
    }

    /** Durations relative to creation, billing and metrics of three jobs, as text. */
    private static List<String> runSeeded(long seed) throws Exception {
        List<String> out = new ArrayList<>();
        try (SageMakerEmulator emulator = SageMakerEmulator.start(TestJobs.fastConfig().seed(seed)
                .faults(new FaultSettings().spotInterruptionPercent(50)).build());
             SageMakerClient sm = TestJobs.client(emulator)) {
            for (int i = 1; i <= 3; i++) {
                boolean spot = i == 3;
                sm.createTrainingJob(smallJob("seeded-" + i).enableManagedSpotTraining(spot)
                        .stoppingCondition(s -> s.maxRuntimeInSeconds(86400).maxWaitTimeInSeconds(
                                spot ? 172800 : null)).build());
            }
            for (int i = 1; i <= 3; i++) {
                DescribeTrainingJobResponse d = awaitStatus(sm, "seeded-" + i, WAIT, TrainingJobStatus.COMPLETED);
                StringBuilder s = new StringBuilder(d.trainingJobName());
                for (SecondaryStatusTransition t : d.secondaryStatusTransitions()) {
                    s.append(' ').append(t.statusAsString()).append('@')
                            .append(Duration.between(d.creationTime(), t.startTime()).toMillis());
                }
                s.append(" train=").append(d.trainingTimeInSeconds()).append(" bill=").append(d.billableTimeInSeconds());
                d.finalMetricDataList().forEach(m -> s.append(' ').append(m.metricName()).append('=').append(m.value()));
                out.add(s.toString());
            }
        }
        return out;
    }

    private static HttpResponse<String> postJson(URI uri, String json) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
