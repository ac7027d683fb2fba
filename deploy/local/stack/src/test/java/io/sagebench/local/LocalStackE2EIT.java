package io.sagebench.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebench.contracts.catalog.PriceBook;
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
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged services against the local stack, as `deploy/local/sagebench demo` runs them: a real Kafka broker
 * process, ElasticMQ, the SageMaker emulator and MariaDB, on free ports and in their own schemas so a developer's
 * running stack is left alone. A 4-run design must give 4 RunResults priced as billable/3600 × price × instances.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class LocalStackE2EIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = Path.of(System.getProperty("sagebench.root", "../../..")).toAbsolutePath().normalize();
    private static LocalStack stack;

    // Recognisable fake secrets the stack runs with; SecretsNeverLeak scans every log, record and /q/ answer for them.
    static final String PID = String.valueOf(ProcessHandle.current().pid());
    static final String DB_USER = "sagebench_e2e_" + PID;
    static final String DB_PASSWORD = "DbPw-e2e-" + UUID.randomUUID();
    static final String AWS_KEY_ID = "AKIAE2E" + UUID.randomUUID().toString().replace("-", "").substring(0, 13).toUpperCase();
    static final String AWS_SECRET = "AwsSecret-e2e-" + UUID.randomUUID();
    static final OtlpSink TRACES = new OtlpSink();
    static final Map<String, Map<String, Double>> METRICS_BEFORE = new HashMap<>();
    static final List<String> TOKENS_USED = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        StackConfig defaults = StackConfig.fromEnvironment(ROOT);
        createDatabaseUser(defaults);
        StackConfig config = new StackConfig(ROOT, ROOT.resolve("deploy/local/stack/target/e2e-state"),
                System.getProperty("java.class.path"), freePort(), freePort(), freePort(), freePort(),
                Map.of("design", freePort(), "launcher", freePort(), "monitor", freePort(), "results", freePort()),
                // a database user of its own with a password, not root: the password is one of the secrets scanned for
                defaults.dbUrl(), DB_USER, DB_PASSWORD,
                // the pid keeps a second build on the same MariaDB (a CI checkout beside a developer's) out of our schemas
                "sagebench_e2e_" + PID + "_", 2000,
                defaults.serviceJvmOptions());
        deleteRecursively(config.stateDir());
        stack = new LocalStack(config, System.out);
        Map<String, String> env = Map.of(
                "AWS_ACCESS_KEY_ID", AWS_KEY_ID,
                "AWS_SECRET_ACCESS_KEY", AWS_SECRET,
                // tracing on (what SAGEBENCH_OTLP_ENDPOINT does for `sagebench up`), exported to the test's OTLP sink
                "QUARKUS_OTEL_SDK_DISABLED", "false",
                "QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", TRACES.endpoint(),
                "QUARKUS_OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf",
                "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "1s");
        for (String s : StackConfig.SERVICES) {
            stack.environment(s, env);
        }
        stack.dropSchemas();
        stack.start();
        for (String s : StackConfig.SERVICES) {
            METRICS_BEFORE.put(s, Metrics.scrape(stack.config().serviceUrl(s)));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.stop();
            stack.dropSchemas();
        }
        TRACES.close();
        try (java.sql.Connection c = rootConnection(StackConfig.fromEnvironment(ROOT)); java.sql.Statement st = c.createStatement()) {
            st.execute("DROP USER IF EXISTS '" + DB_USER + "'@'127.0.0.1', '" + DB_USER + "'@'localhost'");
        }
    }

    private static java.sql.Connection rootConnection(StackConfig defaults) throws java.sql.SQLException {
        return java.sql.DriverManager.getConnection(defaults.dbUrl() + "/", defaults.dbUser(), defaults.dbPassword());
    }

    private static void createDatabaseUser(StackConfig defaults) throws java.sql.SQLException {
        try (java.sql.Connection c = rootConnection(defaults); java.sql.Statement st = c.createStatement()) {
            for (String host : List.of("127.0.0.1", "localhost")) {
                st.execute("DROP USER IF EXISTS '" + DB_USER + "'@'" + host + "'");
                st.execute("CREATE USER '" + DB_USER + "'@'" + host + "' IDENTIFIED BY '" + DB_PASSWORD + "'");
                st.execute("GRANT ALL ON `sagebench\\_e2e\\_" + PID + "\\_%`.* TO '" + DB_USER + "'@'" + host + "'");
            }
        }
    }

    /** A token from the stack's issuer, remembered so the secret scan looks for it. */
    static String token(String subject, String role) {
        String t = stack.token(subject, role);
        TOKENS_USED.add(t);
        return t;
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void aFourRunDesignGivesFourPricedResults() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(new TeeStream(System.out, printed), true, StandardCharsets.UTF_8);
        Demo.Outcome outcome = new Demo(stack.config(), both, token("e2e", "designer"))
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
        PriceBook prices = PriceBook.fromClasspath();
        for (JsonNode result : byRun.values()) {
            assertEquals("Completed", result.path("status").asText());
            String type = result.path("cluster").path("instanceType").asText();
            String version = result.path("priceBookVersion").asText();
            double price = prices.priceIn(version, "us-east-1", type)
                    .orElseThrow(() -> new AssertionError("price book version " + version + " does not price " + type))
                    .hourlyUsd().doubleValue();
            double expected = result.path("billableSeconds").asDouble() / 3600.0 * price
                    * result.path("cluster").path("instanceCount").asInt();
            assertTrue(result.path("billableSeconds").asLong() > 0, "billable seconds");
            assertEquals(expected, result.path("costUsd").asDouble(), 0.005, "cost of " + result.path("runId"));
            assertTrue(result.path("f1").isNumber(), "F1 of " + result.path("runId"));
        }
    }

    @Test
    @org.junit.jupiter.api.Order(2)
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
            // ... and a W3C trace context, as an instrumented producer would add: the design's trace must reach its results
            stdin.write(("authorization:Bearer " + token("e2e", "designer") + ",traceparent:" + CONSOLE_TRACEPARENT
                    + "\t" + JSON.writeValueAsString(design) + "\n")
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
            var r = http.send(java.net.http.HttpRequest.newBuilder(progress).header("Authorization", "Bearer " + token("e2e", "viewer")).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
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
                    + "/designs/" + designId)).header("Authorization", "Bearer " + token("e2e", "viewer")).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            throw new AssertionError("results-service never heard of " + designId + "; design-service says HTTP "
                    + d.statusCode() + " " + d.body() + "; logs in " + stack.config().stateDir().resolve("logs"));
        }
        assertEquals(4, last.path("total").asInt(), last.toString());
        assertTrue(last.path("completed").asBoolean(), "not completed: " + last);

        // One trace per design: every RunResult of it carries the trace id the producer started (issue 11).
        List<ConsumerRecord<String, String>> results = consume("bench.results", Duration.ofSeconds(60), designId, 4);
        assertEquals(4, results.size(), "RunResults of " + designId);
        for (ConsumerRecord<String, String> r : results) {
            org.apache.kafka.common.header.Header h = r.headers().lastHeader("traceparent");
            assertNotNull(h, r.key() + " has no traceparent header");
            String traceparent = new String(h.value(), StandardCharsets.UTF_8);
            assertEquals(CONSOLE_TRACE_ID, traceparent.split("-")[1], r.key() + "'s trace: " + traceparent);
        }
        long exportDeadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (TRACES.exports() == 0 && System.nanoTime() < exportDeadline) {
            Thread.sleep(500);
        }
        assertTrue(TRACES.exports() > 0, "no service exported spans to the OTLP endpoint");
    }

    static final String CONSOLE_TRACE_ID = UUID.randomUUID().toString().replace("-", "");
    static final String CONSOLE_TRACEPARENT = "00-" + CONSOLE_TRACE_ID + "-" + CONSOLE_TRACE_ID.substring(0, 16) + "-01";

    @Test
    @org.junit.jupiter.api.Order(3)
    void theBusinessMetricsMovedAndEveryMetricTheDashboardAndAlertsUseIsExported() throws Exception {
        // Provoke what a happy path does not: a rejected design and a dead-lettered poison record.
        var http = java.net.http.HttpClient.newHttpClient();
        var rejected = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(stack.config().serviceUrl("design") + "/designs"))
                .header("Authorization", "Bearer " + token("e2e", "designer")).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"no model, no dataset\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(400, rejected.statusCode(), rejected.body());
        produce("bench.runs", "e2e-poison", "{this is not json");

        Map<String, Map<String, Double>> after = new HashMap<>();
        Set<String> exported = new java.util.TreeSet<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<String> missing;
        do {
            for (String s : StackConfig.SERVICES) {
                after.put(s, Metrics.scrape(stack.config().serviceUrl(s)));
                exported.addAll(after.get(s).keySet());
            }
            missing = new java.util.ArrayList<>(observabilityMetricNames());
            missing.removeAll(exported);
            if (!missing.isEmpty()) {
                Thread.sleep(2000);
            }
        } while (!missing.isEmpty() && System.nanoTime() < deadline);
        assertTrue(missing.isEmpty(), "deploy/observability names metrics no service exports: " + missing);

        // The two designs above (8 runs) moved the business numbers of every service.
        assertMoved(after, "design", "sagebench_designs_accepted_total", 2);
        assertMoved(after, "design", "sagebench_designs_rejected_total", 1);
        assertMoved(after, "design", "sagebench_runs_planned_total", 8);
        assertMoved(after, "design", "sagebench_quoted_usd_total", 0.01);
        assertMoved(after, "launcher", "sagebench_runs_launched_total", 8);
        assertMoved(after, "launcher", "sagebench_aws_calls_seconds_count", 8);
        assertMoved(after, "monitor", "sagebench_job_events_received_total", 8);
        assertMoved(after, "results", "sagebench_runs_finished_total", 8);
        assertMoved(after, "results", "sagebench_billed_usd_total", 0.01);
        assertMoved(after, "launcher", "sagebench_events_consumed_total", 9);
    }

    private static void assertMoved(Map<String, Map<String, Double>> after, String service, String metric, double atLeast) {
        double before = METRICS_BEFORE.get(service).getOrDefault(metric, 0.0);
        double now = after.get(service).getOrDefault(metric, 0.0);
        assertTrue(now - before >= atLeast, service + "-service's " + metric + " went from " + before + " to " + now
                + ", expected a rise of at least " + atLeast);
    }

    /** Every metric name the Grafana dashboard and the alert rules use (deploy/observability). */
    static Set<String> observabilityMetricNames() throws IOException {
        String text = Files.readString(ROOT.resolve("deploy/observability/grafana/dashboards/sagebench.json"))
                + Files.readString(ROOT.resolve("deploy/observability/prometheus/alerts.yml"));
        Set<String> names = new java.util.TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b((?:sagebench|kafka|agroal|http_server)_[a-z0-9_]+)\\b").matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        assertTrue(names.size() > 10, "metric names found: " + names);
        return names;
    }

    @Test
    @org.junit.jupiter.api.Order(4)
    void noSecretEverLeaksIntoLogsRecordsErrorBodiesOrQEndpoints() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        StringBuilder seen = new StringBuilder();
        // error bodies: a bad token, a bad design, an unknown design
        String badToken = token("e2e", "designer").replaceFirst(".$", "x");
        TOKENS_USED.add(badToken);
        for (var req : List.of(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(stack.config().serviceUrl("design") + "/designs"))
                        .header("Authorization", "Bearer " + badToken).header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build(),
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(stack.config().serviceUrl("design") + "/designs"))
                        .header("Authorization", "Bearer " + token("e2e", "designer")).header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"model\": 42")).build(),
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(stack.config().serviceUrl("results") + "/designs/nope/results"))
                        .header("Authorization", "Bearer " + token("e2e", "viewer")).GET().build())) {
            var r = http.send(req, java.net.http.HttpResponse.BodyHandlers.ofString());
            assertTrue(r.statusCode() >= 400, req.uri() + " answered " + r.statusCode());
            seen.append(r.body()).append('\n');
        }
        // the /q/ endpoints
        for (String s : StackConfig.SERVICES) {
            for (String q : List.of("/q/health", "/q/metrics", "/q/openapi")) {
                var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(stack.config().serviceUrl(s) + q)).GET().build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                seen.append(r.body()).append('\n');
            }
        }
        assertNoSecret("error bodies and /q/ endpoints", seen.toString());

        // every record on every topic, values and headers; only a user's own record may carry their token
        int records = 0;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.config().kafkaBootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-scan-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            c.subscribe(List.copyOf(LocalStack.TOPICS.keySet()));
            int idle = 0;
            while (idle < 6) {
                var batch = c.poll(Duration.ofMillis(500));
                idle = batch.isEmpty() ? idle + 1 : 0;
                for (ConsumerRecord<String, String> r : batch) {
                    records++;
                    boolean userRecord = r.headers().lastHeader("event-id") == null && r.headers().lastHeader("authorization") != null;
                    if (!userRecord) {
                        assertTrue(r.headers().lastHeader("authorization") == null,
                                "a service wrote an authorization header on " + r.topic() + " " + r.key());
                        StringBuilder text = new StringBuilder(String.valueOf(r.key())).append(' ').append(r.value());
                        r.headers().forEach(h -> text.append(' ').append(h.key()).append('=').append(new String(h.value(), StandardCharsets.UTF_8)));
                        assertNoSecret(r.topic() + " record " + r.key(), text.toString());
                    }
                }
            }
        }
        assertTrue(records > 20, "records scanned: " + records);

        // every service's log
        int logs = 0;
        try (var files = Files.list(stack.config().stateDir().resolve("logs"))) {
            for (Path log : files.filter(f -> f.getFileName().toString().contains("-service")).toList()) {
                assertNoSecret(log.toString(), Files.readString(log));
                logs++;
            }
        }
        assertTrue(logs >= 4, "service logs scanned: " + logs);
    }

    private static void assertNoSecret(String where, String text) {
        List<String> secrets = new java.util.ArrayList<>(List.of(DB_PASSWORD, AWS_KEY_ID, AWS_SECRET));
        for (String t : TOKENS_USED) {
            secrets.add(t);
            secrets.add(t.substring(t.lastIndexOf('.') + 1));   // the signature alone
        }
        for (String secret : secrets) {
            assertFalse(text.contains(secret), where + " contains a secret (" + secret.substring(0, 6) + "...)");
        }
    }

    @Test
    @org.junit.jupiter.api.Order(5)
    void readinessGoesDownWhenTheBrokerStopsAndUpWhenItReturns() throws Exception {
        var http = java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        java.util.function.Predicate<String> ready = s -> {
            try {
                return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(stack.config().serviceUrl(s) + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(20)).GET().build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        };
        for (String s : StackConfig.SERVICES) {
            assertTrue(ready.test(s), s + "-service is not ready before the broker stops");
        }
        var restart = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                stack.restartKafka(Duration.ofSeconds(45));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Set<String> wentDown = new java.util.TreeSet<>();
        while (!restart.isDone() && wentDown.size() < 4) {
            for (String s : StackConfig.SERVICES) {
                if (!wentDown.contains(s) && !ready.test(s)) {
                    wentDown.add(s);
                }
            }
            Thread.sleep(1000);
        }
        restart.get(3, java.util.concurrent.TimeUnit.MINUTES);
        assertEquals(Set.of(StackConfig.SERVICES), wentDown, "services whose readiness went DOWN while the broker was away");
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        Set<String> up = new java.util.TreeSet<>();
        while (up.size() < 4 && System.nanoTime() < deadline) {
            for (String s : StackConfig.SERVICES) {
                if (ready.test(s)) {
                    up.add(s);
                }
            }
            Thread.sleep(1000);
        }
        assertEquals(Set.of(StackConfig.SERVICES), up, "services ready again after the broker returned");
    }

    private void produce(String topic, String key, String value) throws Exception {
        Properties p = new Properties();
        p.put(org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.config().kafkaBootstrap());
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(p,
                new org.apache.kafka.common.serialization.StringSerializer(), new org.apache.kafka.common.serialization.StringSerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, key, value)).get();
        }
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
