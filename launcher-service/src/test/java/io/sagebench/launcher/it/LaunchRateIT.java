package io.sagebench.launcher.it;

import static io.sagebench.launcher.it.LauncherTestSupport.newDesignId;
import static io.sagebench.launcher.it.LauncherTestSupport.planRun;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.sagebench.launcher.domain.RunPlans;
import io.sagebench.launcher.app.LaunchDispatcher;
import io.sagebench.testkit.SageMakerEmulatorResource;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * The account's 1-per-second CreateTrainingJob limit holds across replicas: the scheduled dispatcher plus two more
 * dispatch loops (each with its own transactions and connections, as separate launcher processes would have) share
 * only the database. The emulator enforces 1 call/s with a burst of 1 and counts every call it throttles.
 */
@QuarkusTest
class LaunchRateIT {
    private static final int RUNS = 8;
    /** SageMakerEmulatorResource's default: simulated seconds per real second. */
    private static final double CLOCK_FACTOR = 2000;

    @Inject
    LaunchDispatcher dispatcher;
    @Inject
    SageMakerClient sageMaker;

    @Test
    void threeDispatchersTogetherNeverExceedTheAccountRate() throws Exception {
        var emulator = SageMakerEmulatorResource.emulator();
        long throttledBefore = emulator.faults().count("rateLimited");
        // Let slots taken by earlier tests pass.
        Thread.sleep(1500);

        String designId = newDesignId();
        List<String> jobNames = new ArrayList<>();
        for (int i = 1; i <= RUNS; i++) {
            var run = RunPlans.p3Baseline(designId, i, 30);
            jobNames.add("bench-" + run.get("runId") + "-a1");
            planRun(run);
        }

        AtomicBoolean done = new AtomicBoolean();
        ExecutorService replicas = Executors.newFixedThreadPool(2);
        for (int r = 0; r < 2; r++) {
            replicas.submit(() -> {
                while (!done.get()) {
                    dispatcher.tick();
                    Thread.sleep(50);
                }
                return null;
            });
        }
        try {
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    emulator.createdJobNames().containsAll(jobNames));
        } finally {
            done.set(true);
            replicas.shutdown();
            replicas.awaitTermination(10, TimeUnit.SECONDS);
        }

        assertEquals(throttledBefore, emulator.faults().count("rateLimited"),
                "no CreateTrainingJob call may be throttled");
        List<Instant> created = new ArrayList<>();
        for (String name : jobNames) {
            created.add(sageMaker.describeTrainingJob(b -> b.trainingJobName(name)).creationTime());
        }
        created.sort(null);
        // Creation times are on the emulator's compressed clock; convert the span back to real seconds.
        double simulatedSpan = Duration.between(created.get(0), created.get(RUNS - 1)).toMillis() / 1000.0;
        double realSpan = simulatedSpan / CLOCK_FACTOR;
        double achievedRate = (RUNS - 1) / realSpan;
        assertTrue(achievedRate <= 1.0, "rate " + achievedRate + "/s exceeds the account limit");
        assertTrue(achievedRate >= 0.9, "rate " + achievedRate + "/s is far below the account limit");
    }
}
