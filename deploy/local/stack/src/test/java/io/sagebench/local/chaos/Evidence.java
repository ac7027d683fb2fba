package io.sagebench.local.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What the suite looks at after the storm: every record of the system's topics (read from the beginning), the
 * emulator's own record of jobs and CreateTrainingJob calls, the training jobs as the AWS SDK lists them, and the rows
 * results-service stored. Nothing here is trusted from the services' own reports.
 */
final class Evidence {

    static final ObjectMapper JSON = new ObjectMapper();

    /** One Kafka record with its headers as strings; {@code json} is null when the value is not JSON. */
    record Rec(String topic, int partition, long offset, String key, String value, Map<String, String> headers, JsonNode json) {
        String eventId() {
            return headers.getOrDefault("event-id", topic + "-" + partition + "@" + offset);
        }

        String eventType() {
            return headers.get("event-type");
        }

        String text(String field) {
            return json == null ? null : json.path(field).isMissingNode() || json.path(field).isNull() ? null : json.path(field).asText();
        }
    }

    /** The emulator's record of one job (GET /_emulator/jobs). */
    record Job(String name, boolean duplicate, String status, String secondaryStatus, String failureReason,
               String instanceType, int instanceCount, boolean spot, long creationMillis, Long endMillis,
               Long billableSeconds, int stopRequests, Long firstStopMillis, String designId, String runId, Integer attempt) {
        boolean terminal() {
            return status.equals("Completed") || status.equals("Failed") || status.equals("Stopped");
        }
    }

    record CreateCall(String name, String runId, String attempt, String outcome, long atMillis) {
    }

    /** A stored result row of results-service. */
    record StoredResult(String runId, String designId, String status, int attempt, String trainingJobName,
                        java.math.BigDecimal costUsd) {
    }

    final Map<String, List<Rec>> topics = new LinkedHashMap<>();
    final List<Job> jobs = new ArrayList<>();
    final List<CreateCall> createCalls = new ArrayList<>();
    /** Training job name → how many times ListTrainingJobs (AWS SDK) listed it. */
    final Map<String, Integer> sdkListed = new HashMap<>();
    final List<StoredResult> stored = new ArrayList<>();
    /** launcher-service's launch row per run (state, attempt, job), to explain a finding. */
    final Map<String, String> launchRows = new HashMap<>();
    JsonNode faultCounts;
    long emulatorNowMillis;

    static Evidence collect(String bootstrap, List<String> topicNames, URI sageMaker, String dbUrl, String resultsSchema,
                            software.amazon.awssdk.services.sagemaker.SageMakerClient sdk) throws Exception {
        Evidence e = new Evidence();
        for (String t : topicNames) {
            e.topics.put(t, readAll(bootstrap, t));
        }
        HttpClient http = HttpClient.newHttpClient();
        JsonNode view = JSON.readTree(http.send(HttpRequest.newBuilder(sageMaker.resolve("/_emulator/jobs")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body());
        e.emulatorNowMillis = view.path("nowMillis").asLong();
        for (JsonNode j : view.path("jobs")) {
            JsonNode tags = j.path("tags");
            e.jobs.add(new Job(j.path("trainingJobName").asText(), j.path("duplicate").asBoolean(), j.path("status").asText(),
                    j.path("secondaryStatus").asText(), j.path("failureReason").asText(null), j.path("instanceType").asText(),
                    j.path("instanceCount").asInt(), j.path("spot").asBoolean(), j.path("creationMillis").asLong(),
                    j.hasNonNull("endMillis") ? j.get("endMillis").asLong() : null,
                    j.hasNonNull("billableSeconds") ? j.get("billableSeconds").asLong() : null,
                    j.path("stopRequests").asInt(), j.hasNonNull("firstStopMillis") ? j.get("firstStopMillis").asLong() : null,
                    tags.path("sagebench:design-id").asText(null), tags.path("sagebench:run-id").asText(null),
                    tags.hasNonNull("sagebench:attempt") ? Integer.valueOf(tags.get("sagebench:attempt").asInt()) : null));
        }
        for (JsonNode c : view.path("createCalls")) {
            e.createCalls.add(new CreateCall(c.path("trainingJobName").asText(null), c.path("runId").asText(null),
                    c.path("attempt").asText(null), c.path("outcome").asText(), c.path("atMillis").asLong()));
        }
        e.faultCounts = JSON.readTree(http.send(HttpRequest.newBuilder(sageMaker.resolve("/_emulator/faults")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body()).path("counts");
        // What an AWS user sees: ListTrainingJobs through the unmodified SDK, every page.
        sdk.listTrainingJobsPaginator(b -> b.maxResults(100)).trainingJobSummaries()
                .forEach(s -> e.sdkListed.merge(s.trainingJobName(), 1, Integer::sum));
        try (Connection c = DriverManager.getConnection(dbUrl + "/" + resultsSchema, "root", "");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT run_id, design_id, status, attempt, training_job_name, cost_usd FROM run_result")) {
            while (rs.next()) {
                e.stored.add(new StoredResult(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5),
                        rs.getBigDecimal(6)));
            }
        }
        try (Connection c = DriverManager.getConnection(dbUrl + "/" + resultsSchema.replace("results", "launcher"), "root", "");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT run_id, state, attempt, training_job_name, retry_count, defer_count, last_error FROM launch")) {
            while (rs.next()) {
                e.launchRows.put(rs.getString(1), rs.getString(2) + " attempt " + rs.getInt(3) + " " + rs.getString(4)
                        + " retries " + rs.getInt(5) + " deferrals " + rs.getInt(6)
                        + (rs.getString(7) == null ? "" : " last error: " + rs.getString(7).substring(0, Math.min(120, rs.getString(7).length()))));
            }
        }
        return e;
    }

    /** Writes every record read, one JSON line each, per topic (for a finding's post-mortem). */
    void dump(java.nio.file.Path dir) throws java.io.IOException {
        java.nio.file.Files.createDirectories(dir);
        for (Map.Entry<String, List<Rec>> t : topics.entrySet()) {
            StringBuilder b = new StringBuilder();
            for (Rec r : t.getValue()) {
                var n = JSON.createObjectNode().put("partition", r.partition()).put("offset", r.offset()).put("key", r.key());
                n.set("headers", JSON.valueToTree(r.headers()));
                if (r.json() != null) n.set("value", r.json()); else n.put("raw", r.value());
                b.append(n.toString()).append('\n');
            }
            java.nio.file.Files.writeString(dir.resolve(t.getKey() + ".jsonl"), b.toString());
        }
        StringBuilder jobsOut = new StringBuilder();
        for (Job j : jobs) jobsOut.append(JSON.valueToTree(j).toString()).append('\n');
        java.nio.file.Files.writeString(dir.resolve("emulator-jobs.jsonl"), jobsOut.toString());
        StringBuilder calls = new StringBuilder();
        for (CreateCall c : createCalls) calls.append(JSON.valueToTree(c).toString()).append('\n');
        java.nio.file.Files.writeString(dir.resolve("emulator-create-calls.jsonl"), calls.toString());
    }

    List<Rec> topic(String name) {
        return topics.getOrDefault(name, List.of());
    }

    static List<Rec> readAll(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        List<Rec> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo info : c.partitionsFor(topic, Duration.ofSeconds(30))) {
                parts.add(new TopicPartition(topic, info.partition()));
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    out.add(toRec(r));
                }
            }
        }
        return out;
    }

    static Rec toRec(ConsumerRecord<String, byte[]> r) {
        Map<String, String> headers = new HashMap<>();
        for (Header h : r.headers()) {
            headers.put(h.key(), h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
        }
        String value = r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8);
        JsonNode json = null;
        if (value != null) {
            try {
                json = JSON.readTree(value);
            } catch (Exception notJson) {
                json = null;
            }
        }
        return new Rec(r.topic(), r.partition(), r.offset(), r.key(), value, headers, json);
    }
}
