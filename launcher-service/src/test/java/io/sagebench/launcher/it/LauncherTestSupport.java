package io.sagebench.launcher.it;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sagebench.testkit.EventContract;
import io.sagebench.testkit.TestTopics;

/** Helpers shared by the launcher's integration tests. */
final class LauncherTestSupport {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String RUNS = "bench.runs";
    static final String LAUNCHES = "bench.launches";
    static final String JOB_STATES = "bench.job-states";
    static final String DLQ = "bench.dlq.launcher-service";

    private LauncherTestSupport() {
    }

    /** A fresh design id per test, so tests sharing the broker, database and emulator never see each other's runs. */
    static String newDesignId() {
        byte[] b = new byte[6];
        ThreadLocalRandom.current().nextBytes(b);
        return "d-" + HexFormat.of().formatHex(b);
    }

    static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Publishes a RunPlanned that is first checked against sagebench/events/RunPlanned.schema.json (contracts). */
    static String planRun(Map<String, Object> run) {
        String payload = json(run);
        EventContract.assertValid("RunPlanned", payload);
        return TestTopics.produceEvent(RUNS, (String) run.get("runId"), "RunPlanned", payload);
    }

    static List<ConsumerRecord<String, String>> launchEvents(String runId, String eventType, int n, Duration timeout) {
        return TestTopics.consume(LAUNCHES, n, timeout,
                r -> runId.equals(r.key()) && eventType.equals(TestTopics.header(r, "event-type")));
    }
}
