package io.sagebench.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebench.testkit.EventContract;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged services against the local stack, as `deploy/local/sagebench demo` runs them: a real Kafka broker
 * process, ElasticMQ, the SageMaker emulator and MariaDB, on free ports and in their own schemas so a developer's
 * running stack is left alone. A 4-run design must give 4 RunResults priced as billable/3600 × price × instances.
 */
class LocalStackE2EIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = Path.of(System.getProperty("sagebench.root", "../../..")).toAbsolutePath().normalize();
    private static LocalStack stack;

    @BeforeAll
    static void start() throws Exception {
        StackConfig defaults = StackConfig.fromEnvironment(ROOT);
        StackConfig config = new StackConfig(ROOT, ROOT.resolve("deploy/local/stack/target/e2e-state"),
                System.getProperty("java.class.path"), freePort(), freePort(), freePort(), freePort(),
                Map.of("design", freePort(), "launcher", freePort(), "monitor", freePort(), "results", freePort()),
                defaults.dbUrl(), defaults.dbUser(), defaults.dbPassword(),
                // the pid keeps a second build on the same MariaDB (a CI checkout beside a developer's) out of our schemas
                "sagebench_e2e_" + ProcessHandle.current().pid() + "_", 2000,
                defaults.serviceJvmOptions());
        deleteRecursively(config.stateDir());
        stack = new LocalStack(config, System.out);
        stack.dropSchemas();
        stack.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.stop();
            stack.dropSchemas();
        }
    }

    @Test
    void aFourRunDesignGivesFourPricedResults() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(new TeeStream(System.out, printed), true, StandardCharsets.UTF_8);
        Demo.Outcome outcome = new Demo(stack.config(), both, stack.token("e2e", "designer"))
                .run(Path.of("src/test/resources/e2e-design.json"), Duration.ofSeconds(240));
        assertTrue(outcome.ok(), () -> "demo problems: " + outcome.problems());
        assertEquals(4, outcome.results().size());
        String table = printed.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("4 runs,"), table);

        // What users subscribe to: one schema-valid RunResult per run on bench.results, priced from the price book.
        Map<String, JsonNode> byRun = new HashMap<>();
        for (ConsumerRecord<String, String> r : consume("bench.results", Duration.ofSeconds(60), outcome.designId(), 4)) {
            EventContract.assertValid("RunResult", r.value());
            byRun.put(r.key(), JSON.readTree(r.value()));
        }
        assertEquals(4, byRun.size(), "distinct runs on bench.results");
        JsonNode prices = JSON.readTree(Files.readString(ROOT.resolve("docs/catalog/price-book.json")));
        for (JsonNode result : byRun.values()) {
            assertEquals("Completed", result.path("status").asText());
            String type = result.path("cluster").path("instanceType").asText();
            JsonNode price = null;
            for (JsonNode v : prices.path("versions")) {
                if (v.path("version").asText().equals(result.path("priceBookVersion").asText())) {
                    price = v.path("prices").path("us-east-1").path(type);
                }
            }
            assertNotNull(price, "price book version " + result.path("priceBookVersion"));
            double expected = result.path("billableSeconds").asDouble() / 3600.0 * price.asDouble()
                    * result.path("cluster").path("instanceCount").asInt();
            assertTrue(result.path("billableSeconds").asLong() > 0, "billable seconds");
            assertEquals(expected, result.path("costUsd").asDouble(), 0.005, "cost of " + result.path("runId"));
            assertTrue(result.path("f1").isNumber(), "F1 of " + result.path("runId"));
        }
    }

    @Test
    void aDesignTypedIntoKafkasConsoleProducerIsTakenLikeARestPost() throws Exception {
        // What a user does with kafka-console-producer: one line of JSON, no key, and the designer's token in the
        // `authorization` header (design-service verifies it as it would a REST call; docs/security.md).
        com.fasterxml.jackson.databind.node.ObjectNode design =
                (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(Files.readString(Path.of("src/test/resources/e2e-design.json")));
        String designId = "e2e-console-" + (System.currentTimeMillis() % 1_000_000_000L);
        design.put("designId", designId);
        design.put("rerun", true); // the first test measured these cells already; without it the runs are reused
        Process producer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.apache.kafka.tools.ConsoleProducer",
                "--bootstrap-server", stack.config().kafkaBootstrap(), "--topic", "bench.designs",
                "--property", "parse.headers=true")
                .redirectErrorStream(true).start();
        try (var stdin = producer.getOutputStream()) {
            stdin.write(("authorization:Bearer " + stack.token("e2e", "designer") + "\t" + JSON.writeValueAsString(design) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(producer.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "console producer did not exit");
        assertEquals(0, producer.exitValue(), new String(producer.getInputStream().readAllBytes(), StandardCharsets.UTF_8));

        // The design is accepted and planned exactly as a REST post would be: results-service sees its 4 runs.
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.URI progress = java.net.URI.create(stack.config().serviceUrl("results") + "/designs/" + designId + "/progress");
        long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            var r = http.send(java.net.http.HttpRequest.newBuilder(progress).header("Authorization", "Bearer " + stack.token("e2e", "viewer")).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                last = JSON.readTree(r.body());
                if (last.path("total").asInt() == 4 && last.path("completed").asBoolean()) {
                    break;
                }
            }
            Thread.sleep(1000);
        }
        if (last == null) {
            var d = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(stack.config().serviceUrl("design")
                    + "/designs/" + designId)).header("Authorization", "Bearer " + stack.token("e2e", "viewer")).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            throw new AssertionError("results-service never heard of " + designId + "; design-service says HTTP "
                    + d.statusCode() + " " + d.body() + "; logs in " + stack.config().stateDir().resolve("logs"));
        }
        assertEquals(4, last.path("total").asInt(), last.toString());
        assertTrue(last.path("completed").asBoolean(), "not completed: " + last);
    }

    private List<ConsumerRecord<String, String>> consume(String topic, Duration timeout, String designId, int n) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.config().kafkaBootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<String, ConsumerRecord<String, String>> latest = new HashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            c.subscribe(List.of(topic));
            while (latest.size() < n && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                    if (r.key() != null && r.key().startsWith(designId + "-")) {
                        latest.put(r.key(), r);
                    }
                }
            }
        }
        return List.copyOf(latest.values());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** Prints to the test log and keeps a copy to assert on. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
