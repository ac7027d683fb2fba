package io.sagebench.launcher.it;

import static io.restassured.RestAssured.given;
import static io.sagebench.launcher.it.LauncherTestSupport.DLQ;
import static io.sagebench.launcher.it.LauncherTestSupport.JOB_STATES;
import static io.sagebench.launcher.it.LauncherTestSupport.json;
import static io.sagebench.launcher.it.LauncherTestSupport.launchEvents;
import static io.sagebench.launcher.it.LauncherTestSupport.newDesignId;
import static io.sagebench.launcher.it.LauncherTestSupport.planRun;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.sagebench.launcher.domain.RunPlans;
import io.sagebench.platform.inbox.TransientRetry;
import io.sagebench.testkit.KafkaBrokerResource;
import io.sagebench.testkit.TestTopics;

/**
 * docs/architecture.md, Reliability: when the launcher's database keeps failing past the retry budget (here: a row
 * lock held by another connection, so every try ends in a real lock wait timeout, 1205), the record is not
 * dead-lettered; the channel stops without committing its offset, so Kafka redelivers it after the restart.
 * Own profile (a short budget and lock wait), because the stopped channel ends this application instance.
 */
@QuarkusTest
@TestProfile(PersistentDatabaseFailureIT.ShortBudget.class)
class PersistentDatabaseFailureIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    public static class ShortBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sagebench.incoming-retry.budget", "4s",
                    "sagebench.incoming-retry.max-backoff", "500ms",
                    "quarkus.datasource.jdbc.new-connection-sql", "SET SESSION innodb_lock_wait_timeout = 1");
        }
    }

    @Inject
    DataSource dataSource;
    @Inject
    TransientRetry retry;

    @Test
    void aJobEndThatKeepsFailingOnTheDatabaseIsLeftUnacknowledgedNotDeadLettered() throws Exception {
        String designId = newDesignId();
        Map<String, Object> run = RunPlans.p3Baseline(designId, 1, 30);
        String runId = (String) run.get("runId");
        String jobName = "bench-" + runId + "-a1";
        planRun(run);
        assertEquals(1, launchEvents(runId, "RunLaunched", 1, WAIT).size());
        long retriesBefore = retry.retries();

        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement launch = other.prepareStatement(
                    "SELECT state FROM launch WHERE run_id = ? FOR UPDATE")) {
                launch.setString(1, runId);
                try (ResultSet rs = launch.executeQuery()) {
                    assertTrue(rs.next());
                }
            }
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("trainingJobName", jobName);
            state.put("runId", runId);
            state.put("designId", designId);
            state.put("status", "Completed");
            state.put("secondaryStatus", "Completed");
            state.put("lastModifiedTime", Instant.now().toString());
            state.put("terminal", true);
            TestTopics.produceEvent(JOB_STATES, jobName, "TrainingJobStateChanged", json(state));

            // Past the budget, the channel stops: the liveness check reports it.
            await().atMost(WAIT).pollInterval(Duration.ofMillis(500))
                    .until(() -> given().get("/q/health/live").statusCode() == 503);
            assertTrue(retry.retries() > retriesBefore + 2, "retried while the lock was held");
            other.rollback();
        }

        assertTrue(TestTopics.consume(DLQ, 1, Duration.ofSeconds(3), r -> jobName.equals(r.key())).isEmpty(),
                "not dead-lettered");
        assertEquals(0, launchEvents(runId, "RunAttemptEnded", 1, Duration.ofSeconds(2)).size(),
                "not processed by this instance");
        var record = TestTopics.consume(JOB_STATES, 1, WAIT, r -> jobName.equals(r.key())).get(0);
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaBrokerResource.bootstrapServers()))) {
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets("launcher-service")
                    .partitionsToOffsetAndMetadata().get().get(partition);
            assertTrue(committed == null || committed.offset() <= record.offset(),
                    "offset not committed past the record (committed " + committed + ", record at "
                            + record.offset() + "): Kafka redelivers it after the restart");
        }
    }
}
