package io.sagebench.design.it;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.sagebench.testkit.KafkaBrokerResource;
import io.sagebench.testkit.TestTopics;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static io.restassured.RestAssured.given;
import static io.sagebench.design.it.Callers.alice;
import static io.sagebench.design.it.Callers.produceSigned;
import static io.sagebench.design.it.Callers.signed;
import static io.sagebench.design.it.DesignServiceIT.WAIT;
import static io.sagebench.design.it.DesignServiceIT.records;
import static io.sagebench.design.it.DesignServiceIT.small;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A database that stays away while a valid design is consumed: the record is neither dead-lettered nor acknowledged.
 * The channel stops (liveness DOWN), the group's committed offset stays before the record, and the next consumer of
 * the group — the restarted service — gets it again. One attempt, so the test does not wait out the retries.
 */
@QuarkusTest
@TestProfile(OutageLeavesRecordUnacknowledgedIT.OneAttempt.class)
class OutageLeavesRecordUnacknowledgedIT {

    public static class OneAttempt implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sagebench.design.consumer-attempts", "1");
        }
    }

    @Inject
    DataSource dataSource;

    @Test
    void aValidDesignMeetingADeadDatabaseIsLeftForRedeliveryNotDeadLettered() throws Exception {
        TestTopics.produce("bench.designs", "before-outage", small("before-outage").toString(), signed(null));
        assertEquals(1, records("bench.design-status", 1, "before-outage", "DesignAccepted").size());

        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("RENAME TABLE processed_event TO processed_event_away");
            try {
                TestTopics.produce("bench.designs", "during-outage", small("during-outage").toString(), signed(null));
                // the channel stopped: SmallRye reports it on the liveness check
                await().atMost(WAIT).until(() -> given().get("/q/health/live").statusCode() == 503);
            } finally {
                s.execute("RENAME TABLE processed_event_away TO processed_event");
            }
        }
        ConsumerRecord<String, String> during = TestTopics.consume("bench.designs", 1, WAIT,
                r -> "during-outage".equals(r.key())).get(0);
        assertEquals(0, TestTopics.consume("bench.dlq.design-service", 1, Duration.ofSeconds(3),
                r -> "during-outage".equals(r.key())).size(), "a valid design was dead-lettered");
        alice().get("/designs/during-outage").then().statusCode(404);

        TopicPartition partition = new TopicPartition(during.topic(), during.partition());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaBrokerResource.bootstrapServers()))) {
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets("design-service")
                    .partitionsToOffsetAndMetadata().get().get(partition);
            assertTrue(committed == null || committed.offset() <= during.offset(),
                    "committed " + committed + " is past the unprocessed record at " + during.offset());
        }

        // the restarted service joins the same group and is handed the record again
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerResource.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "design-service");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, String> restarted = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            restarted.subscribe(List.of("bench.designs"));
            long deadline = System.nanoTime() + WAIT.toNanos();
            boolean redelivered = false;
            while (!redelivered && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : restarted.poll(Duration.ofMillis(500))) {
                    redelivered |= "during-outage".equals(r.key()) && r.offset() == during.offset();
                }
            }
            assertTrue(redelivered, "the group was not handed the unacknowledged record again");
        }
    }
}
