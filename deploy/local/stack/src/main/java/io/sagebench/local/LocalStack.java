package io.sagebench.local;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

import io.sagebench.issuer.TokenIssuer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

/**
 * Starts and stops the whole local stack on loopback: a Kafka 4.1 broker (KRaft), the AWS stand-in (ElasticMQ and the
 * SageMaker emulator) and the four packaged services against MariaDB. Used by the sagebench script and the end-to-end
 * test alike, so the test proves what users run.
 */
public final class LocalStack {

    /** Topics with their partition counts; bench.runs has enough partitions for several launcher replicas. */
    public static final Map<String, Integer> TOPICS = Map.ofEntries(
            Map.entry("bench.designs", 3), Map.entry("bench.design-status", 3), Map.entry("bench.runs", 6),
            Map.entry("bench.launches", 6), Map.entry("bench.job-states", 6), Map.entry("bench.results", 6),
            Map.entry("bench.dlq.design-service", 1), Map.entry("bench.dlq.launcher-service", 1),
            Map.entry("bench.dlq.monitor-service", 1), Map.entry("bench.dlq.results-service", 1));

    /** Compacted topics: one current RunResult per run. */
    public static final java.util.Set<String> COMPACTED_TOPICS = java.util.Set.of("bench.results");

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(150);
    private final StackConfig config;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public LocalStack(StackConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
    }

    public StackConfig config() {
        return config;
    }

    /** Every process of the stack, in start order. */
    List<ChildProcess> processes() {
        List<ChildProcess> all = new ArrayList<>();
        all.add(new ChildProcess("kafka", config.stateDir()));
        all.add(new ChildProcess("aws", config.stateDir()));
        for (String s : StackConfig.SERVICES) {
            all.add(new ChildProcess(s + "-service", config.stateDir()));
        }
        all.addAll(extraInstances());
        return all;
    }

    public boolean running() {
        return processes().stream().anyMatch(ChildProcess::alive);
    }

    public void start() throws Exception {
        for (String s : StackConfig.SERVICES) {
            if (!Files.exists(config.serviceJar(s))) {
                throw new IllegalStateException(config.serviceJar(s) + " is missing: build first (mvn -B -DskipTests package)");
            }
        }
        checkDatabase();
        issuer();       // the key pair the services are told to trust
        startKafka();
        createTopics();
        startAws();
        startServices();
    }

    /** Stops every process it finds, services first; returns how many were running. */
    public int stop() {
        List<ChildProcess> all = processes();
        int stopped = 0;
        for (int i = all.size() - 1; i >= 0; i--) {
            ChildProcess p = all.get(i);
            if (p.alive()) {
                out.println("stopping " + p.name());
                p.stop(Duration.ofSeconds(15));
                stopped++;
            }
        }
        return stopped;
    }

    /** Drops the services' schemas (the end-to-end test starts from nothing). */
    public void dropSchemas() throws Exception {
        try (Connection c = DriverManager.getConnection(config.dbUrl() + "/", config.dbUser(), config.dbPassword());
             Statement st = c.createStatement()) {
            for (String s : StackConfig.SERVICES) {
                st.execute("DROP DATABASE IF EXISTS `" + config.schema(s) + "`");
            }
        }
    }

    private void checkDatabase() {
        try (Connection c = DriverManager.getConnection(config.dbUrl() + "/", config.dbUser(), config.dbPassword())) {
            c.isValid(2);
        } catch (Exception e) {
            throw new IllegalStateException("MariaDB at " + config.dbUrl() + " is not reachable as " + config.dbUser()
                    + " (" + e.getMessage() + "). Start it, or set SAGEBENCH_DB_URL / SAGEBENCH_DB_USER / SAGEBENCH_DB_PASSWORD."
                    + " If root over TCP is refused, see docs/operations.md (one SQL statement fixes it).", e);
        }
    }

    private void startKafka() throws Exception {
        Path dir = config.stateDir().resolve("kafka");
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Path props = dir.resolve("server.properties");
        String listeners = "PLAINTEXT://127.0.0.1:" + config.kafkaPort() + ",CONTROLLER://127.0.0.1:" + config.kafkaControllerPort();
        Files.writeString(props, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + config.kafkaControllerPort(),
                "listeners=" + listeners,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + config.kafkaPort(),
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + data.toAbsolutePath(),
                // one broker: every internal topic must have replication factor 1 or consumer groups never form
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false",
                "") );
        if (!Files.exists(data.resolve("meta.properties"))) {
            Process format = new ProcessBuilder(java(), "-Xmx256m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", config.classpath(), "kafka.tools.StorageTool",
                    "format", "-t", Uuid.randomUuid().toString(), "-c", props.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(config.stateDir().resolve("kafka-format.log").toFile()))
                    .start();
            if (format.waitFor() != 0) {
                throw new IllegalStateException("formatting Kafka storage failed; see " + config.stateDir().resolve("kafka-format.log"));
            }
        }
        ChildProcess kafka = new ChildProcess("kafka", config.stateDir());
        out.println("starting Kafka 4.1 (KRaft) on " + config.kafkaBootstrap());
        kafka.start(List.of(java(), "-Xmx384m", "-XX:+UseSerialGC", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info", "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-cp", config.classpath(), "kafka.Kafka", props.toString()), Map.of());
        waitForPort(kafka, config.kafkaPort());
    }

    private void createTopics() throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
        try (Admin admin = Admin.create(p)) {
            List<NewTopic> topics = new ArrayList<>();
            TOPICS.forEach((name, partitions) -> {
                NewTopic t = new NewTopic(name, partitions, (short) 1);
                if (COMPACTED_TOPICS.contains(name)) {
                    t.configs(Map.of("cleanup.policy", "compact"));
                }
                topics.add(t);
            });
            for (var entry : admin.createTopics(topics).values().entrySet()) {
                try {
                    entry.getValue().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    private void startAws() throws Exception {
        ChildProcess aws = new ChildProcess("aws", config.stateDir());
        out.println("starting ElasticMQ (SQS) on " + config.sqsEndpoint() + " and the SageMaker emulator on "
                + config.sageMakerEndpoint() + " (clock x" + (long) config.clockFactor() + ")");
        aws.start(List.of(java(), "-Xmx256m", "-XX:+UseSerialGC", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-Dsun.net.httpserver.nodelay=true",
                "-Dorg.slf4j.simpleLogger.showDateTime=true", "-cp", config.classpath(), AwsStandIn.class.getName(),
                String.valueOf(config.sqsPort()), String.valueOf(config.sageMakerPort()), String.valueOf(config.clockFactor())),
                Map.of(), extraJvmOptions.getOrDefault("aws", List.of()));
        waitForPort(aws, config.sqsPort());
        waitForPort(aws, config.sageMakerPort());
    }

    private void startServices() throws Exception {
        List<ChildProcess> services = new ArrayList<>();
        for (String s : StackConfig.SERVICES) {
            ChildProcess p = new ChildProcess(s + "-service", config.stateDir());
            List<String> cmd = new ArrayList<>();
            cmd.add(java());
            cmd.addAll(List.of(config.serviceJvmOptions().trim().split("\\s+")));
            cmd.addAll(extraJvmOptions.getOrDefault(s, List.of()));
            cmd.addAll(List.of("-jar", config.serviceJar(s).toString()));
            p.start(cmd, serviceEnvironment(s));
            services.add(p);
        }
        out.println("starting design, launcher, monitor and results services");
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        for (int i = 0; i < services.size(); i++) {
            String s = StackConfig.SERVICES[i];
            ChildProcess p = services.get(i);
            URI ready = URI.create(config.serviceUrl(s) + "/q/health/ready");
            while (!isUp(ready)) {
                if (!p.alive()) {
                    throw new IllegalStateException(p.name() + " exited during startup. Last lines of " + p.logFile() + ":\n" + p.logTail(30));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(p.name() + " was not ready after " + READY_TIMEOUT.toSeconds()
                            + " s. Last lines of " + p.logFile() + ":\n" + p.logTail(30));
                }
                Thread.sleep(500);
            }
            out.println("  " + s + "-service ready on " + config.serviceUrl(s));
        }
    }

    /** The environment each service runs with; deploy/compose's local profile is checked against it (deploy/verify). */
    public Map<String, String> serviceEnvironment(String service) {
        Map<String, String> env = new HashMap<>();
        env.put("HTTP_PORT", String.valueOf(config.servicePorts().get(service)));
        env.put("QUARKUS_HTTP_PORT", String.valueOf(config.servicePorts().get(service)));
        env.put("KAFKA_BOOTSTRAP_SERVERS", config.kafkaBootstrap());
        env.put("SAGEBENCH_DB_URL", config.dbUrl());
        env.put("QUARKUS_DATASOURCE_JDBC_URL", config.dbUrl() + "/" + config.schema(service) + "?createDatabaseIfNotExist=true");
        env.put("QUARKUS_DATASOURCE_USERNAME", config.dbUser());
        env.put("QUARKUS_DATASOURCE_PASSWORD", config.dbPassword());
        env.put("SAGEBENCH_DB_USER", config.dbUser());
        env.put("SAGEBENCH_DB_PASSWORD", config.dbPassword());
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "local");      // the stand-ins ignore signatures; the SDK still wants keys
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("SAGEBENCH_SAGEMAKER_ENDPOINT", config.sageMakerEndpoint());
        env.put("SAGEBENCH_SQS_ENDPOINT", config.sqsEndpoint());
        env.put("SAGEBENCH_EVENTS_QUEUE_URL", config.queueUrl());
        // security stays on (prod profile): the services trust the stack's local issuer (docs/security.md)
        env.put("SAGEBENCH_JWT_PUBLIC_KEY_LOCATION", issuerPublicKey().toUri().toString());
        env.put("SAGEBENCH_JWT_ISSUER", TokenIssuer.LOCAL_ISSUER);
        env.put("SAGEBENCH_LOG_JSON", "false");     // readable logs locally; JSON is the prod default
        String otlp = StackConfig.env("SAGEBENCH_OTLP_ENDPOINT", "");
        if (!otlp.isBlank()) {
            // tracing is off unless asked for: one variable points every service at an OTLP collector (e.g. Jaeger)
            env.put("QUARKUS_OTEL_SDK_DISABLED", "false");
            env.put("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", otlp);
        }
        if (service.equals("launcher")) {
            // what a real account would provide; the emulator accepts any role and bucket
            env.put("SAGEBENCH_ROLE_ARN", "arn:aws:iam::000000000000:role/SageMakerExecutionRole");
            env.put("SAGEBENCH_BUCKET", "sagemaker-us-east-1-000000000000");
        }
        env.putAll(extraEnvironment.getOrDefault(service, Map.of()));
        return env;
    }

    /** The stack's local token issuer (a key pair in the state directory, created on first use). */
    public TokenIssuer issuer() {
        try {
            return TokenIssuer.inDirectory(config.stateDir().resolve("issuer"), TokenIssuer.LOCAL_ISSUER);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the local issuer's key pair in " + config.stateDir(), e);
        }
    }

    /** Where the issuer's public key is (start() creates it); only a path, so describing the stack has no side effect. */
    private Path issuerPublicKey() {
        return config.stateDir().resolve("issuer").resolve("public.pem").toAbsolutePath();
    }

    /** A token from the local issuer, valid for a day: what the demo, the CLI and the end-to-end tests present. */
    public String token(String subject, String... roles) {
        return issuer().token(subject, List.of(roles), Duration.ofDays(1));
    }

    /** Status lines for `sagebench status`. */
    public List<String> status() {
        List<String> lines = new ArrayList<>();
        for (ChildProcess p : processes()) {
            String state = p.handle().map(h -> "running (pid " + h.pid() + ")").orElse("stopped");
            String name = p.name();
            if (name.endsWith("-service") && p.alive()) {
                String s = name.substring(0, name.indexOf('-'));
                state += isUp(URI.create(config.serviceUrl(s) + "/q/health/ready")) ? ", ready on " + config.serviceUrl(s) : ", not ready";
            }
            lines.add(String.format("%-17s %s", name, state));
        }
        return lines;
    }

    boolean isUp(URI uri) {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void waitForPort(ChildProcess p, int port) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (!p.alive()) {
                    throw new IllegalStateException(p.name() + " exited during startup. Last lines of " + p.logFile() + ":\n" + p.logTail(30));
                }
                Thread.sleep(250);
            }
        }
        throw new IllegalStateException(p.name() + " did not open port " + port + " within 60 s; see " + p.logFile());
    }

    // ---- hooks for the chaos suite (docs/reliability.md); unused by `sagebench` and the demo ----

    private final Map<String, List<String>> extraJvmOptions = new HashMap<>();
    private final Map<String, Map<String, String>> extraEnvironment = new HashMap<>();

    /** Extra JVM options for a process started later: "aws" (e.g. the emulator's -Dsagebench.emulator.*) or a service. */
    public LocalStack jvmOptions(String process, List<String> options) {
        extraJvmOptions.put(process, List.copyOf(options));
        return this;
    }

    /** Extra environment for a service (every instance of it), on top of {@link #serviceEnvironment}. */
    public LocalStack environment(String service, Map<String, String> environment) {
        extraEnvironment.put(service, Map.copyOf(environment));
        return this;
    }

    /** The command that runs one instance of a service (as startServices runs the first). */
    List<String> serviceCommand(String service) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        cmd.addAll(List.of(config.serviceJvmOptions().trim().split("\\s+")));
        cmd.addAll(extraJvmOptions.getOrDefault(service, List.of()));
        cmd.addAll(List.of("-jar", config.serviceJar(service).toString()));
        return cmd;
    }

    /** Further instances of a service (ServiceInstances: launcher-service-2, ...), found by their pid files. */
    private List<ChildProcess> extraInstances() {
        List<ChildProcess> extra = new ArrayList<>();
        Path pids = config.stateDir().resolve("pids");
        if (!Files.isDirectory(pids)) {
            return extra;
        }
        try (var files = Files.list(pids)) {
            files.map(f -> f.getFileName().toString())
                    .filter(n -> n.matches("[a-z]+-service-[0-9]+\\.pid"))
                    .sorted()
                    .forEach(n -> extra.add(new ChildProcess(n.substring(0, n.length() - 4), config.stateDir())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return extra;
    }

    /**
     * Stops the Kafka broker (SIGTERM, SIGKILL after 30 s), waits {@code down}, and starts it again on the same ports and
     * data directory; returns when it accepts connections. Clients see the broker go away and come back.
     */
    public void restartKafka(Duration down) throws Exception {
        ChildProcess kafka = new ChildProcess("kafka", config.stateDir());
        out.println("stopping Kafka");
        kafka.stop(Duration.ofSeconds(30));
        Thread.sleep(down.toMillis());
        startKafka();
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
