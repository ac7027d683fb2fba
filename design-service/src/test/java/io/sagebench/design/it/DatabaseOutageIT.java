package io.sagebench.design.it;

import static io.sagebench.design.it.Callers.alice;
import static io.sagebench.design.it.Callers.signed;
import static io.sagebench.design.it.DesignServiceIT.assertExactly;
import static io.sagebench.design.it.DesignServiceIT.small;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.sagebench.testkit.ConnectionKiller;
import io.sagebench.testkit.TestTopics;

/**
 * The database goes away under the service (its connections KILLed for 8 s, as a MariaDB restart looks from the pool)
 * while designs arrive on bench.designs: each is accepted exactly once when the database is back, none is
 * dead-lettered or lost. Without {@code @CommitOrThrow} on the app beans that apply records, a design whose transaction was marked
 * rollback-only by a dead connection could be acknowledged with nothing stored (Hibernate answers find() with null in
 * such a transaction).
 */
@QuarkusTest
class DatabaseOutageIT {

    @Test
    void designsArrivingWhileTheDatabaseIsAwayAreEachAcceptedOnceNoneDeadLettered() throws Exception {
        String prefix = "db-away-" + System.nanoTime() % 1_000_000 + "-";
        int n = 6;
        int killed;
        try (ConnectionKiller outage = ConnectionKiller.ofThisService()) {
            long start = System.nanoTime();
            for (int i = 1; i <= n; i++) {
                TestTopics.produce("bench.designs", prefix + i, small(prefix + i).toString(), signed(null));
                Thread.sleep(1_000);
            }
            Thread.sleep(Math.max(0, 8_000 - (System.nanoTime() - start) / 1_000_000));
            killed = outage.killed();
        }
        assertTrue(killed > 0, "the outage killed no connection of the service: the test proves nothing");

        assertExactly(n, "bench.design-status", prefix, "DesignAccepted");
        for (int i = 1; i <= n; i++) {
            alice().get("/designs/" + prefix + i).then().statusCode(200);
        }
        assertEquals(0, TestTopics.consume("bench.dlq.design-service", 1, Duration.ofSeconds(3),
                r -> r.key() != null && r.key().startsWith(prefix)).size(), "a valid design was dead-lettered");
        given().get("/q/health/live").then().statusCode(200);
    }
}
