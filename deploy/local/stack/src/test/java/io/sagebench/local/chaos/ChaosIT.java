package io.sagebench.local.chaos;

import io.sagebench.local.LocalStack;
import io.sagebench.local.ServiceInstances;
import io.sagebench.local.StackConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chaos suite (docs/reliability.md): the packaged services on the local stack (real Kafka broker, the suite's own
 * MariaDB server, ElasticMQ and the SageMaker emulator, three launcher instances) run a 200-run benchmark while the
 * emulator misbehaves and a seeded schedule kills service instances, restarts the broker and the database and feeds
 * in malformed designs and poison records; then the invariants are checked against the topics, the emulator's record
 * and the stored results. A self-test makes the emulator break a promise AWS keeps and shows the suite notices.
 * Knobs: -Dchaos.seed, -Dchaos.runs, -Dchaos.kills, -Dchaos.clockFactor, -Dchaos.timeoutSeconds, -Dchaos.selfTest.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosIT {

    static {
        // the Kafka clients in this JVM log through slf4j-simple: keep their configuration dumps out of the report
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }

    private static final Path ROOT = Path.of(System.getProperty("sagebench.root", "../../..")).toAbsolutePath().normalize();
    private static final Path TARGET = ROOT.resolve("deploy/local/stack/target");
    private static final long SEED = Long.getLong("chaos.seed", 42L);
    private static final int RUNS = Integer.getInteger("chaos.runs", 200);
    private static final int KILLS = Integer.getInteger("chaos.kills", 8);
    private static final double CLOCK = Double.parseDouble(System.getProperty("chaos.clockFactor", "60"));
    private static final int LAUNCHERS = 3;
    /** Real seconds the system gets, after a cancel, to stop a running job (a kill may hold a partition ~45 s). */
    private static final int STOP_GRACE_SECONDS = 60;
    /** Instances per type the account may run at once: far below what 200 queued runs want, so deferrals are forced. */
    private static final int QUOTA_P3 = 16;
    private static final int QUOTA_G5 = 12;
    private static final double CREATE_RATE = Double.parseDouble(System.getProperty("chaos.createRate", "4"));
    private static final String TAG = "c" + Long.toString(System.currentTimeMillis() / 1000 % 1_000_000, 36);

    private static PrivateMariaDb db;
    private static LocalStack stack;
    private static ServiceInstances instances;
    private static final StringBuilder reports = new StringBuilder();
    private static final java.util.Set<String> deadLettersSeen = new java.util.HashSet<>();
    /** Poison records and malformed designs of earlier scenarios: a dead letter for one of them may come late. */
    private static final java.util.Set<String> injectedBefore = new java.util.HashSet<>();
    private static final java.util.Set<String> malformedBefore = new java.util.HashSet<>();

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(PrivateMariaDb.available(),
                "the chaos suite needs the MariaDB server binaries (/usr/sbin/mariadbd, mariadb-install-db, mariadb-admin)");
        long t0 = System.nanoTime();
        Files.createDirectories(TARGET);
        db = new PrivateMariaDb(TARGET.resolve("chaos-mariadb"), freePort());
        db.init();
        Path jars = Path.of(System.getProperty("chaos.jarsRoot", ROOT.toString()));
        Scenario.readConsumers(jars);
        System.out.println("[chaos] topic readers (from the packaged services): " + Scenario.CONSUMERS);
        StackConfig defaults = StackConfig.fromEnvironment(ROOT);
        Map<String, Integer> ports = Map.of("design", freePort(), "launcher", freePort(), "monitor", freePort(), "results", freePort());
        StackConfig config = new StackConfig(jars, TARGET.resolve("chaos-state"), System.getProperty("java.class.path"),
                freePort(), freePort(), freePort(), freePort(), ports, db.jdbcUrl(), "root", "", "sagebench_chaos_", CLOCK,
                defaults.serviceJvmOptions());
        PrivateMariaDb.deleteRecursively(config.stateDir());
        stack = new LocalStack(config, System.out);
        // The account: CreateTrainingJob calls per second (the emulator's limit and the launchers' admission rate,
        // compressed like the clock; SageMaker's is 1) and per-type quotas that force deferrals, known to the launchers as
        // an operator would configure them (admission defers; SageMaker's ResourceLimitExceeded stays the backstop).
        stack.jvmOptions("aws", List.of("-Dsagebench.emulator.seed=" + SEED, "-Dsagebench.emulator.create-rate=" + CREATE_RATE,
                "-Dsagebench.emulator.quotas=ml.p3.2xlarge=" + QUOTA_P3 + ",ml.g5.xlarge=" + QUOTA_G5));
        stack.jvmOptions("launcher", List.of("-Dsagebench.launcher.admission.create-rate-per-second=" + CREATE_RATE,
                "-Dsagebench.launcher.admission.quota.\"ml.p3.2xlarge\"=" + QUOTA_P3, "-Dsagebench.launcher.admission.quota.\"ml.g5.xlarge\"=" + QUOTA_G5,
                // the lease outlives a CreateTrainingJob call (30 s) and deferrals retry within 10 s: the clock is compressed
                "-Dsagebench.launcher.admission.launch-lease=45s", "-Dsagebench.launcher.retry.defer-max=10s"));
        // Reconciliation on the compressed clock: a job silent for 6 s real (~6 simulated minutes) is described.
        stack.jvmOptions("monitor", List.of("-Dsagebench.monitor.silence=6s", "-Dsagebench.monitor.reconcile-every=2s",
                "-Dsagebench.monitor.reconcile-batch=50", "-Dsagebench.monitor.reconcile-pause=50ms"));
        stack.start();
        instances = new ServiceInstances(stack);
        List<Integer> extra = new ArrayList<>();
        for (int i = 1; i < LAUNCHERS; i++) extra.add(freePort());
        instances.scale("launcher", extra, Duration.ofSeconds(150));
        System.out.println("[chaos] stack up in " + (System.nanoTime() - t0) / 1_000_000_000 + " s: " + instances.names() + "; "
                + db.describe());
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (instances != null) instances.stopExtra();
            if (stack != null) stack.stop();
        } finally {
            if (db != null) db.close();
        }
    }

    private static SageMakerClient sdk() {
        return SageMakerClient.builder().endpointOverride(URI.create(stack.config().sageMakerEndpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("chaos", "chaos"))).build();
    }

    private static Scenario.Settings settings(int runs, int kills, boolean everything, Duration timeout, Map<String, Object> faults) {
        return new Scenario.Settings(SEED, runs, kills, CLOCK, everything ? 5 : 0, everything ? 5 : 0, everything, everything,
                everything, timeout, 1.25, faults);
    }

    static Map<String, Object> issueFaults() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("duplicateEventPercent", 20);
        f.put("reorderEventPercent", 20);
        f.put("dropEventPercent", 5);
        f.put("throttlePercent", 30);
        f.put("internalErrorPercent", 5);
        f.put("capacityFailurePercent", 5);
        f.put("spotInterruptionPercent", 20);
        f.put("breakPromise", "none");
        return f;
    }

    static Map<String, Object> noFaults(String breakPromise) {
        Map<String, Object> f = new LinkedHashMap<>();
        issueFaults().keySet().forEach(k -> f.put(k, 0));
        f.put("breakPromise", breakPromise);
        return f;
    }

    /** Runs a scenario's aftermath: faults off, jobs settled, evidence, invariants, report. */
    private static Report conclude(Scenario s, String title) throws Exception {
        s.setFaults(noFaults("none"));
        // Let stops land and relays drain before reading (bounded): no job of the scenario's designs still running.
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < until && runningJobs(s) > 0) Thread.sleep(1000);
        // ... and every outbox relayed what it holds (what was committed must be on the topics before they are read)
        long drainBy = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        Map<String, Integer> backlog = outboxBacklog();
        while (System.nanoTime() < drainBy && backlog.values().stream().anyMatch(n -> n > 0)) {
            Thread.sleep(1000);
            backlog = outboxBacklog();
        }
        s.log("outbox rows not yet sent, per service: " + backlog);
        s.outboxBacklog = backlog;
        // ... and every service's consumer group has consumed every record (a late dead letter is not a missing one)
        long caughtUpBy = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        Map<String, Long> lag = consumerLag();
        while (System.nanoTime() < caughtUpBy && lag.values().stream().anyMatch(n -> n > 0)) {
            Thread.sleep(1000);
            lag = consumerLag();
        }
        s.log("records not yet consumed, per consumer group: " + lag);
        s.consumerLag = lag;
        Thread.sleep(2000);
        List<String> topics = new ArrayList<>(Scenario.MAIN_TYPE.keySet());
        for (String svc : List.of("design", "launcher", "monitor", "results")) topics.add("bench.dlq." + svc + "-service");
        Evidence e;
        try (SageMakerClient client = sdk()) {
            e = Evidence.collect(stack.config().kafkaBootstrap(), topics, URI.create(stack.config().sageMakerEndpoint()),
                    db.jdbcUrl(), stack.config().schema("results"), client);
        }
        Invariants inv = new Invariants(e, s.designs, s.malformed, s.poison, s.unhealthy, (long) (STOP_GRACE_SECONDS * 1000 * CLOCK), deadLettersSeen,
                injectedBefore, malformedBefore);
        inv.evaluate();
        deadLettersSeen.addAll(inv.deadLetterKeys());
        s.poison.forEach(x -> injectedBefore.add(x.topic() + "-" + x.partition() + "@" + x.offset()));
        malformedBefore.addAll(s.malformed);
        Report report = new Report(title, SEED, s, e, inv, db, CLOCK, instances.names());
        String text = report.render();
        System.out.println(text);
        reports.append(text).append('\n');
        Files.writeString(TARGET.resolve("chaos-report.txt"), reports.toString(), StandardCharsets.UTF_8);
        try {
            e.dump(TARGET.resolve("chaos-evidence").resolve(title.replaceAll("[^a-zA-Z0-9-]+", "-")));
        } catch (Exception dumpFailed) {
            System.out.println("[chaos] could not dump the evidence: " + dumpFailed);
        }
        return report;
    }

    /** Committed offsets of the services' consumer groups against the end of each partition they read. */
    @SuppressWarnings("deprecation")
    private static Map<String, Long> consumerLag() {
        Map<String, Long> lag = new java.util.TreeMap<>();
        java.util.Properties p = new java.util.Properties();
        p.put(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.config().kafkaBootstrap());
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(p)) {
            for (var g : admin.listConsumerGroups().all().get()) {
                if (g.groupId().startsWith("chaos-")) continue;
                var offsets = admin.listConsumerGroupOffsets(g.groupId()).partitionsToOffsetAndMetadata().get();
                Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new java.util.HashMap<>();
                offsets.keySet().forEach(tp -> latest.put(tp, org.apache.kafka.clients.admin.OffsetSpec.latest()));
                var ends = admin.listOffsets(latest).all().get();
                long n = 0;
                for (var o : offsets.entrySet()) {
                    if (o.getValue() != null) n += Math.max(0, ends.get(o.getKey()).offset() - o.getValue().offset());
                }
                lag.put(g.groupId(), n);
            }
        } catch (Exception e) {
            lag.put("(unknown: " + e.getClass().getSimpleName() + ")", -1L);
        }
        return lag;
    }

    private static Map<String, Integer> outboxBacklog() {
        Map<String, Integer> backlog = new LinkedHashMap<>();
        for (String svc : StackConfig.SERVICES) {
            try (var c = java.sql.DriverManager.getConnection(db.jdbcUrl() + "/" + stack.config().schema(svc), "root", "");
                 var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL")) {
                rs.next();
                backlog.put(svc, rs.getInt(1));
            } catch (Exception e) {
                // monitor-service has no outbox table (it publishes each recorded transition directly)
            }
        }
        return backlog;
    }

    private static int runningJobs(Scenario s) throws Exception {
        var view = Evidence.JSON.readTree(java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                URI.create(stack.config().sageMakerEndpoint() + "/_emulator/jobs")).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body());
        int n = 0;
        for (var j : view.path("jobs")) {
            String design = j.path("tags").path("sagebench:design-id").asText();
            boolean mine = s.designs.stream().anyMatch(d -> d.designId().equals(design));
            String st = j.path("status").asText();
            if (mine && (st.equals("InProgress") || st.equals("Stopping"))) n++;
        }
        return n;
    }

    @Test
    @Order(1)
    void everythingGoesWrongAtOnceAndNoPromiseIsBroken() throws Exception {
        Scenario s = new Scenario(stack, instances, db, settings(RUNS, KILLS, true,
                Duration.ofSeconds(Long.getLong("chaos.timeoutSeconds", 450L)), issueFaults()), System.out, TAG);
        s.runMain();
        Report report = conclude(s, "chaos run");
        assertTrue(s.kills.get() >= Math.min(KILLS, 1), "kills played: " + s.kills.get());
        assertTrue(report.invariants.allHeld(), () -> "invariants violated:\n" + report.violations());
    }

    @Test
    @Order(2)
    void theSuiteNoticesWhenTheEmulatorBreaksAPromise() throws Exception {
        for (String mode : System.getProperty("chaos.selfTest", "duplicate-create").split(",")) {
            if (mode.isBlank()) continue;
            Scenario s = new Scenario(stack, instances, db, settings(6, 0, false, Duration.ofSeconds(mode.equals("never-end") ? 45 : 150),
                    noFaults(mode)), System.out, TAG);
            String designId = TAG + "-" + (mode.equals("never-end") ? "noend" : "dup");
            s.runSmall(designId, mode.equals("never-end") ? 3 : 6, noFaults(mode));
            Report report = conclude(s, "self-test: emulator breakPromise=" + mode);
            List<String> violated = report.invariants.checks.stream().filter(c -> !c.held()).map(Invariants.Check::name).toList();
            assertFalse(report.invariants.allHeld(), "the suite did not notice breakPromise=" + mode);
            if (mode.equals("duplicate-create")) {
                assertTrue(violated.contains(Invariants.ONE_JOB_PER_ATTEMPT), "violated: " + violated);
                assertTrue(violated.contains(Invariants.NO_DOUBLE_LAUNCH), "violated: " + violated);
            } else {
                assertTrue(violated.contains(Invariants.NO_STUCK_DESIGN), "violated: " + violated);
                assertTrue(violated.contains(Invariants.ONE_RESULT), "violated: " + violated);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
