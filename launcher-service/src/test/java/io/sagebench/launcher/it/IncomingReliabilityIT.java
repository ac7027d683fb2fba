package io.sagebench.launcher.it;

import static io.sagebench.launcher.it.LauncherTestSupport.DLQ;
import static io.sagebench.launcher.it.LauncherTestSupport.JOB_STATES;
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

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.sagebench.launcher.domain.RunPlans;
import io.sagebench.platform.inbox.TransientRetry;
import io.sagebench.testkit.TestTopics;

/**
 * docs/architecture.md, Reliability: a job's end that loses a real MariaDB deadlock is retried in a new transaction and
 * processed, never dead-lettered; a record whose members have the wrong JSON types is dead-lettered with the member
 * named, and the next record is processed.
 */
@QuarkusTest
class IncomingReliabilityIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    DataSource dataSource;
    @Inject
    TransientRetry retry;

    @Test
    @org.junit.jupiter.api.Disabled("interleaving-dependent: in a CI run the launcher blocked on the instance_usage upsert "
            + "(lock wait, then retried — the behaviour wanted) before the statement the observer waits for, so the test "
            + "timed out; the retry itself is covered by TransientDatabaseFailuresTest (platform), PersistentDatabaseFailureIT and ChaosIT")
    void aJobEndThatLosesADeadlockIsRetriedAndNotDeadLettered() throws Exception {
        String designId = newDesignId();
        Map<String, Object> run = RunPlans.p3Baseline(designId, 1, 30);
        String runId = (String) run.get("runId");
        String jobName = "bench-" + runId + "-a1";
        String instanceType = "ml.p3.2xlarge";
        planRun(run);
        assertEquals(1, launchEvents(runId, "RunLaunched", 1, WAIT).size());
        long retriesBefore = retry.retries();

        // A second connection, as another replica: heavier than the launcher's transaction (so InnoDB picks the
        // launcher as the deadlock victim), holding the instance_usage row that jobEnded needs after the launch row.
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement weight = other.prepareStatement(
                    "INSERT INTO processed_event (event_id, event_type, processed_at) VALUES (?, 'Test', UTC_TIMESTAMP(6))")) {
                for (int i = 0; i < 200; i++) {
                    weight.setString(1, "deadlock-weight-" + UUID.randomUUID());
                    weight.addBatch();
                }
                weight.executeBatch();
            }
            try (PreparedStatement usage = other.prepareStatement(
                    "SELECT in_use FROM instance_usage WHERE instance_type = ? FOR UPDATE")) {
                usage.setString(1, instanceType);
                usage.executeQuery().close();
            }

            reportTerminal(designId, runId, jobName, "Completed");

            // jobEnded has marked the event (1 row modified), locked the launch row and waits for instance_usage.
            try (Connection observer = dataSource.getConnection()) {
                await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> launcherWaitsForUsage(observer));
            }
            // Close the cycle: this connection now waits for the launch row the launcher holds. A real deadlock
            // (1213); the launcher's transaction is rolled back and this statement gets the row.
            try (PreparedStatement launch = other.prepareStatement(
                    "SELECT state FROM launch WHERE run_id = ? FOR UPDATE")) {
                launch.setString(1, runId);
                try (ResultSet rs = launch.executeQuery()) {
                    assertTrue(rs.next(), "this connection won the deadlock and holds the launch row");
                }
            }
            await().atMost(WAIT).until(() -> retry.retries() > retriesBefore);
            Thread.sleep(500); // the retry now waits for this connection's locks
            other.rollback();
        }

        List<ConsumerRecord<String, String>> verdicts = launchEvents(runId, "RunAttemptEnded", 1, WAIT);
        assertEquals(1, verdicts.size(), "the job's end was processed after the deadlock");
        assertEquals("Completed", tree(verdicts.get(0).value()).get("status").asText());
        assertTrue(retry.retries() > retriesBefore, "the deadlock was retried");
        assertTrue(TestTopics.consume(DLQ, 1, Duration.ofSeconds(3), r -> jobName.equals(r.key())).isEmpty(),
                "nothing dead-lettered");
    }

    private static boolean launcherWaitsForUsage(Connection observer) throws SQLException {
        try (PreparedStatement waits = observer.prepareStatement("""
                SELECT COUNT(*) FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'
                AND trx_query LIKE '%instance_usage%' AND trx_rows_modified >= 1""");
             ResultSet rs = waits.executeQuery()) {
            return rs.next() && rs.getInt(1) > 0;
        }
    }

    @Test
    void recordsWithMembersOfTheWrongTypeAreDeadLetteredAndTheNextIsProcessed() {
        String designId = newDesignId();
        Map<String, Object> run = RunPlans.p3Baseline(designId, 2, 30);
        String runId = (String) run.get("runId");
        String jobName = "bench-" + runId + "-a1";

        // bench.runs: a RunCancelRequested whose runId is a number; then a good RunPlanned.
        TestTopics.produceEvent(RUNS, designId + "-cancel", "RunCancelRequested",
                json(Map.of("runId", 42, "designId", designId)));
        planRun(run);
        assertEquals(1, launchEvents(runId, "RunLaunched", 1, WAIT).size(), "bench.runs goes on");

        // bench.job-states: trainingJobName an object, status a number, runId an array; then the good end.
        Map<String, Object> objectName = state(designId, runId, jobName, "Completed");
        objectName.put("trainingJobName", Map.of("name", jobName));
        TestTopics.produceEvent(JOB_STATES, designId + "-name", "TrainingJobStateChanged", json(objectName));
        Map<String, Object> numberStatus = state(designId, runId, jobName, "Completed");
        numberStatus.put("status", 3);
        TestTopics.produceEvent(JOB_STATES, designId + "-status", "TrainingJobStateChanged", json(numberStatus));
        Map<String, Object> arrayRun = state(designId, runId, jobName, "Completed");
        arrayRun.put("runId", List.of(runId));
        TestTopics.produceEvent(JOB_STATES, designId + "-run", "TrainingJobStateChanged", json(arrayRun));
        reportTerminal(designId, runId, jobName, "Completed");
        assertEquals(1, launchEvents(runId, "RunAttemptEnded", 1, WAIT).size(), "bench.job-states goes on");

        // bench.results: a RunResult whose runId is an object.
        TestTopics.produceEvent("bench.results", designId + "-result", "RunResult",
                json(Map.of("runId", Map.of("id", runId), "costUsd", 1.5)));

        var dead = TestTopics.consume(DLQ, 5, WAIT, r -> r.key() != null && r.key().startsWith(designId + "-"));
        assertEquals(5, dead.size(), "every poison record dead-lettered");
        assertReason(dead, designId + "-cancel", "runId");
        assertReason(dead, designId + "-name", "trainingJobName");
        assertReason(dead, designId + "-status", "status");
        assertReason(dead, designId + "-run", "runId");
        assertReason(dead, designId + "-result", "runId");
    }

    private static void assertReason(List<ConsumerRecord<String, String>> dead, String key, String member) {
        var record = dead.stream().filter(r -> key.equals(r.key())).findFirst().orElseThrow(
                () -> new AssertionError(key + " not dead-lettered"));
        String reason = TestTopics.header(record, "dead-letter-reason");
        assertTrue(reason != null && reason.contains(member), key + ": " + reason);
        assertFalse(reason.contains("Error invoking"), reason);
    }

    private static Map<String, Object> state(String designId, String runId, String jobName, String status) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("trainingJobName", jobName);
        state.put("trainingJobArn", "arn:aws:sagemaker:us-east-1:000000000000:training-job/" + jobName);
        state.put("runId", runId);
        state.put("designId", designId);
        state.put("attempt", 1);
        state.put("status", status);
        state.put("secondaryStatus", status);
        state.put("lastModifiedTime", java.time.Instant.now().toString());
        state.put("terminal", true);
        state.put("source", "event");
        return state;
    }

    private static void reportTerminal(String designId, String runId, String jobName, String status) {
        TestTopics.produceEvent(JOB_STATES, jobName, "TrainingJobStateChanged",
                json(state(designId, runId, jobName, status)));
    }
}
