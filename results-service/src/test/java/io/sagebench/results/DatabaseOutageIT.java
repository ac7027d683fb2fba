package io.sagebench.results;

import io.quarkus.test.junit.QuarkusTest;
import io.sagebench.testkit.ConnectionKiller;
import io.sagebench.testkit.TestTopics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The database goes away under the service (every connection it holds or opens is KILLed from a root connection,
 * for 8 s: what a MariaDB restart looks like from the pool: socket errors, failed commits, refused connections) while
 * RunLaunched records arrive. Every one is stored once the database is back, none is dead-lettered, the channel keeps
 * running. What it caught: a transaction whose connection could not be enlisted is marked rollback-only, Hibernate
 * then answers find() with null instead of throwing (HHH-12472), the handler ran on and returned, the interceptor
 * rolled back without a word, and the record was acknowledged with nothing stored (platform's CommitOrThrow).
 */
@QuarkusTest
class DatabaseOutageIT {

    @Test
    void runLaunchedRecordsArrivingWhileTheDatabaseIsAwayAreAllStoredNoneDeadLettered() throws Exception {
        String design = "it-db-outage";
        int n = 8;
        List<String> runs = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            runs.add(TestEvents.runId(design, i));
        }
        TestEvents.produce("bench.design-status", design, "DesignAccepted", TestEvents.designAccepted(design, runs));
        for (int i = 1; i <= n; i++) {
            TestEvents.produce("bench.runs", runs.get(i - 1), "RunPlanned",
                    TestEvents.runPlanned(design, i, "ml.p3.2xlarge", 1, 1, 1000, "0123456789ab"));
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                Api.asViewer().get("/designs/" + design + "/progress").then().statusCode(200)
                        .body("planned", equalTo(n)).body("launched", equalTo(0)));

        int killed;
        try (ConnectionKiller outage = ConnectionKiller.ofThisService()) {
            long start = System.nanoTime();
            for (String run : runs) {
                TestEvents.produce("bench.launches", run, "RunLaunched",
                        TestEvents.runLaunched(design, run, "ml.p3.2xlarge", 1));
                Thread.sleep(500);
            }
            Thread.sleep(Math.max(0, 8_000 - (System.nanoTime() - start) / 1_000_000));
            killed = outage.killed();
        }
        assertTrue(killed > 0, "the outage killed no connection of the service: the test proves nothing");

        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    Api.asViewer().get("/designs/" + design + "/progress").then().statusCode(200)
                            .body("launched", equalTo(n)));
        } catch (RuntimeException | AssertionError e) {
            throw new AssertionError(diagnosis(design, runs), e);
        }
        List<ConsumerRecord<String, String>> dead = TestTopics.consume("bench.dlq.results-service", 1,
                Duration.ofSeconds(5), r -> runs.contains(r.key()));
        assertEquals(List.of(), dead, "valid RunLaunched dead-lettered across the outage");
        given().get("/q/health/live").then().statusCode(200);
    }

    private static String diagnosis(String design, List<String> runs) throws SQLException {
        var config = ConfigProvider.getConfig();
        String url = config.getValue("quarkus.datasource.jdbc.url", String.class);
        String user = config.getValue("quarkus.datasource.username", String.class);
        String password = config.getOptionalValue("quarkus.datasource.password", String.class).orElse("");
        StringBuilder out = new StringBuilder();
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM run_launch WHERE design_id = '" + design
                    + "' AND launched")) {
                rs.next();
                out.append("run_launch launched rows: ").append(rs.getInt(1));
            }
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM processed_event WHERE topic = 'bench.launches'")) {
                rs.next();
                out.append("; processed bench.launches events: ").append(rs.getInt(1));
            }
        }
        List<ConsumerRecord<String, String>> onTopic = TestTopics.consume("bench.launches", runs.size(),
                Duration.ofSeconds(10), r -> runs.contains(r.key()));
        out.append("; on bench.launches: ").append(onTopic.stream().map(r -> r.partition() + "@" + r.offset()).toList());
        return out.toString();
    }
}
