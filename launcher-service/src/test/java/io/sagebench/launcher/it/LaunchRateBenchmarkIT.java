package io.sagebench.launcher.it;

import static io.sagebench.launcher.it.LauncherTestSupport.LAUNCHES;
import static io.sagebench.launcher.it.LauncherTestSupport.JOB_STATES;
import static io.sagebench.launcher.it.LauncherTestSupport.json;
import static io.sagebench.launcher.it.LauncherTestSupport.newDesignId;
import static io.sagebench.launcher.it.LauncherTestSupport.planRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.sagebench.emulator.Faults;
import io.sagebench.launcher.domain.RunPlans;
import io.sagebench.launcher.app.LaunchDispatcher;
import io.sagebench.testkit.EventContract;
import io.sagebench.testkit.JwtIssuerResource;
import io.sagebench.testkit.KafkaBrokerResource;
import io.sagebench.testkit.MariaDbResource;
import io.sagebench.testkit.S3StandInResource;
import io.sagebench.testkit.SageMakerEmulatorResource;
import io.sagebench.testkit.TestTopics;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;

/**
 * Issue 4's benchmark: a design of {@code benchmark.runs} (default 300) runs submitted against the emulator enforcing
 * 1 CreateTrainingJob per second (burst 1) and its instance quota (64 per type), with the launcher's quota set to
 * {@code benchmark.quota} (default 64, the emulator's) instances of ml.p3.2xlarge. {@code benchmark.replicas} (default 1)
 * adds dispatch loops that share only the database, as more launcher processes would. A stand-in for monitor-service
 * publishes each job's terminal state on bench.job-states, so quota held by ended jobs is released. Skipped unless
 * {@code -Dbenchmark=true}:
 * <pre>
 * mvn -o -B -pl launcher-service verify -Dtest=LaunchRateBenchmarkIT -Dbenchmark=true \
 *     -Dsurefire.failIfNoSpecifiedTests=false [-Dbenchmark.runs=300] [-Dbenchmark.replicas=3] [-Dbenchmark.quota=64]
 * </pre>
 * Prints lines starting with {@code BENCHMARK}; asserts no run lost and none launched twice, and prints (does not
 * assert) the rate against the 95% target.
 */
@QuarkusTest
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
@TestProfile(LaunchRateBenchmarkIT.Quota.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(restrictToAnnotatedClass = true, value = MariaDbResource.class,
        initArgs = @ResourceArg(name = "schema", value = "sagebench_launcher_bench"))
@QuarkusTestResource(value = SageMakerEmulatorResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = S3StandInResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = JwtIssuerResource.class, restrictToAnnotatedClass = true)
class LaunchRateBenchmarkIT {
    /** SageMakerEmulatorResource's default: simulated seconds per real second. */
    private static final double CLOCK_FACTOR = 2000;
    private static final String TYPE = "ml.p3.2xlarge";

    /** The launcher's quota for the benchmark's instance type. */
    public static class Quota implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sagebench.launcher.admission.quota.\"" + TYPE + "\"",
                    System.getProperty("benchmark.quota", "64"));
        }
    }

    @Inject
    LaunchDispatcher dispatcher;
    @Inject
    SageMakerClient sageMaker;

    @Test
    void submitsADesignAtTheAccountRateWithoutLosingOrDoublingARun() throws Exception {
        int runs = Integer.getInteger("benchmark.runs", 300);
        int replicas = Integer.getInteger("benchmark.replicas", 1);
        int quota = Integer.parseInt(System.getProperty("benchmark.quota", "64"));
        var emulator = SageMakerEmulatorResource.emulator();
        long throttledBefore = emulator.faults().count(Faults.RATE_LIMITED);
        long quotaRejectedBefore = emulator.faults().count(Faults.QUOTA_REJECTED);

        String designId = newDesignId();
        String prefix = "bench-" + designId + "-r";
        List<String> runIds = new ArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService background = Executors.newFixedThreadPool(replicas);
        background.submit(() -> relayTerminalStates(designId, prefix, done));
        for (int r = 1; r < replicas; r++) {
            background.submit(() -> {
                while (!done.get()) {
                    dispatcher.tick();
                    Thread.sleep(50);
                }
                return null;
            });
        }
        long start = System.nanoTime();
        try {
            for (int i = 1; i <= runs; i++) {
                var run = RunPlans.p3Baseline(designId, i, 30);
                runIds.add((String) run.get("runId"));
                planRun(run);
            }
            // A run per second at best: allow the ideal time plus a generous margin, then report whatever happened.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(runs * 2L + 60);
            while (createdJobs(emulator.createdJobNames(), prefix).size() < runs && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
        } finally {
            done.set(true);
            background.shutdown();
            background.awaitTermination(10, TimeUnit.SECONDS);
        }
        double wallSeconds = (System.nanoTime() - start) / 1e9;

        List<String> jobs = createdJobs(emulator.createdJobNames(), prefix);
        Map<String, Integer> jobsPerRun = new HashMap<>();
        for (String job : jobs) {
            jobsPerRun.merge(job.substring("bench-".length(), job.lastIndexOf("-a")), 1, Integer::sum);
        }
        List<Instant> created = new ArrayList<>();
        for (String job : jobs) {
            created.add(sageMaker.describeTrainingJob(b -> b.trainingJobName(job)).creationTime());
        }
        created.sort(null);
        // Creation times are on the emulator's compressed clock; convert the span back to real seconds.
        double span = created.size() < 2 ? Double.NaN
                : Duration.between(created.get(0), created.get(created.size() - 1)).toMillis() / 1000.0 / CLOCK_FACTOR;
        double rate = (created.size() - 1) / span;

        List<ConsumerRecord<String, String>> events = TestTopics.consume(LAUNCHES, Integer.MAX_VALUE,
                Duration.ofSeconds(5), r -> r.key() != null && r.key().startsWith(designId + "-r"));
        Map<String, Integer> launchedPerRun = new HashMap<>();
        Map<String, Integer> byType = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> e : events) {
            String type = TestTopics.header(e, "event-type");
            byType.merge(type, 1, Integer::sum);
            if ("RunLaunched".equals(type)) {
                launchedPerRun.merge(e.key(), 1, Integer::sum);
            }
        }
        long throttled = emulator.faults().count(Faults.RATE_LIMITED) - throttledBefore;
        long quotaRejected = emulator.faults().count(Faults.QUOTA_REJECTED) - quotaRejectedBefore;
        List<String> lost = runIds.stream().filter(r -> !jobsPerRun.containsKey(r)).toList();
        List<String> doubled = jobsPerRun.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        List<String> launchedTwice = launchedPerRun.entrySet().stream().filter(e -> e.getValue() > 1)
                .map(Map.Entry::getKey).toList();

        System.out.printf("BENCHMARK launcher-service: %d runs, %d launcher(s), quota %d × %s, emulator 1 create/s%n",
                runs, replicas, quota, TYPE);
        System.out.printf("BENCHMARK launcher-service: achieved %.3f CreateTrainingJob/s between first and last job "
                + "(%.1f%% of the 1/s limit; target ≥ 95%% → %s); %.1f s wall clock from the first RunPlanned%n",
                rate, rate * 100, rate >= 0.95 ? "met" : "NOT met", wallSeconds);
        System.out.printf("BENCHMARK launcher-service: jobs created %d for %d runs; runs without a job %d; runs with 2+ "
                + "jobs %d; runs with 2+ RunLaunched %d%n", jobs.size(), runs, lost.size(), doubled.size(),
                launchedTwice.size());
        System.out.printf("BENCHMARK launcher-service: throttled calls %d, quota rejections %d, deferrals (RunDeferred) "
                + "%d; events on bench.launches %s%n", throttled, quotaRejected, byType.getOrDefault("RunDeferred", 0),
                byType);

        assertTrue(lost.isEmpty(), "runs never launched: " + lost);
        assertTrue(doubled.isEmpty(), "runs launched twice: " + doubled);
        assertTrue(launchedTwice.isEmpty(), "runs announced twice: " + launchedTwice);
        assertEquals(runs, jobs.size(), "one job per run");
        assertEquals(runs, launchedPerRun.size(), "one RunLaunched per run");
        assertTrue(rate <= 1.0, "the account limit is never exceeded: " + rate);
    }

    private static List<String> createdJobs(List<String> all, String prefix) {
        return all.stream().filter(n -> n.startsWith(prefix)).toList();
    }

    /** What monitor-service does, reduced: each ended job's terminal state on bench.job-states, once. */
    private Void relayTerminalStates(String designId, String prefix, AtomicBoolean done) throws InterruptedException {
        Set<String> published = ConcurrentHashMap.newKeySet();
        while (!done.get()) {
            for (String job : createdJobs(SageMakerEmulatorResource.emulator().createdJobNames(), prefix)) {
                if (published.contains(job)) {
                    continue;
                }
                DescribeTrainingJobResponse d = sageMaker.describeTrainingJob(b -> b.trainingJobName(job));
                String status = d.trainingJobStatusAsString();
                if (List.of("Completed", "Failed", "Stopped").contains(status)) {
                    Map<String, Object> state = new LinkedHashMap<>();
                    state.put("trainingJobName", job);
                    state.put("trainingJobArn", d.trainingJobArn());
                    state.put("runId", job.substring("bench-".length(), job.lastIndexOf("-a")));
                    state.put("designId", designId);
                    state.put("attempt", Integer.parseInt(job.substring(job.lastIndexOf("-a") + 2)));
                    state.put("status", status);
                    state.put("secondaryStatus", d.secondaryStatusAsString());
                    state.put("lastModifiedTime", d.lastModifiedTime().toString());
                    state.put("terminal", true);
                    state.put("source", "reconcile");
                    String payload = json(state);
                    EventContract.assertValid("TrainingJobStateChanged", payload);
                    TestTopics.produceEvent(JOB_STATES, job, "TrainingJobStateChanged", payload);
                    published.add(job);
                }
            }
            Thread.sleep(1000);
        }
        return null;
    }
}
