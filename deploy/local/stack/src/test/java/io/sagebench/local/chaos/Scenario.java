package io.sagebench.local.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sagebench.local.LocalStack;
import io.sagebench.local.ServiceInstances;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One chaos scenario on a running stack: submits the designs, turns the emulator's faults on, and while the runs go
 * through the system plays a seeded schedule of kill -9s (any of the six service instances), a broker restart, a
 * MariaDB restart, malformed designs and poison records; a supervisor (what Kubernetes would be) restarts an instance
 * whose process died or whose liveness stays DOWN. Records everything it did for the report.
 */
final class Scenario {

    static final Map<String, String> MAIN_TYPE = new LinkedHashMap<>();
    /** Topic → the services that read it (from the packaged services' own configuration, see {@link #readConsumers}). */
    static final Map<String, List<String>> CONSUMERS = new LinkedHashMap<>();

    static {
        MAIN_TYPE.put("bench.designs", "DesignSubmitted");
        MAIN_TYPE.put("bench.runs", "RunPlanned");
        MAIN_TYPE.put("bench.launches", "RunLaunched");
        MAIN_TYPE.put("bench.job-states", "TrainingJobStateChanged");
        MAIN_TYPE.put("bench.design-status", "DesignAccepted");
        MAIN_TYPE.put("bench.results", "RunResult");
    }

    /**
     * Which service reads which topic, from the {@code mp.messaging.incoming.*.topic} lines of the application.properties
     * packaged in each service's jar (so a service that starts reading a topic is expected to dead-letter its poison too).
     */
    static void readConsumers(java.nio.file.Path jarsRoot) throws java.io.IOException {
        CONSUMERS.clear();
        for (String svc : io.sagebench.local.StackConfig.SERVICES) {
            java.nio.file.Path app = jarsRoot.resolve(svc + "-service/target/quarkus-app/app");
            try (var jars = java.nio.file.Files.list(app)) {
                for (java.nio.file.Path jar : jars.filter(j -> j.toString().endsWith(".jar")).toList()) {
                    try (var zip = new java.util.zip.ZipFile(jar.toFile())) {
                        var entry = zip.getEntry("application.properties");
                        if (entry == null) continue;
                        Properties props = new Properties();
                        props.load(zip.getInputStream(entry));
                        for (String key : props.stringPropertyNames()) {
                            if (key.matches("mp\\.messaging\\.incoming\\.[^.]+\\.topic")) {
                                CONSUMERS.computeIfAbsent(props.getProperty(key).trim(), k -> new ArrayList<>()).add(svc + "-service");
                            }
                        }
                    }
                }
            }
        }
        CONSUMERS.values().forEach(l -> Collections.sort(l));
    }

    /** The knobs: -Dchaos.* (docs/reliability.md). */
    record Settings(long seed, int runs, int kills, double clockFactor, int poisonPerTopic, int malformedDesigns,
                    boolean restartKafka, boolean restartDatabase, boolean cancelDesign, Duration timeout, double budgetHeadroom,
                    Map<String, Object> faults) {
    }

    private final LocalStack stack;
    private final ServiceInstances instances;
    private final PrivateMariaDb db;
    private final Settings settings;
    private final PrintStream out;
    private final String tag;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final long startNanos = System.nanoTime();
    private final Random random;

    final List<String> timeline = new CopyOnWriteArrayList<>();
    final List<Invariants.Design> designs = new ArrayList<>();
    final List<String> malformed = new CopyOnWriteArrayList<>();
    final List<Invariants.Poison> poison = new CopyOnWriteArrayList<>();
    final Map<String, Integer> killsByInstance = new ConcurrentHashMap<>();
    final AtomicInteger kills = new AtomicInteger();
    final AtomicInteger restarts = new AtomicInteger();
    final AtomicInteger supervisorRestarts = new AtomicInteger();
    final AtomicInteger kafkaRestarts = new AtomicInteger();
    final AtomicInteger databaseRestarts = new AtomicInteger();
    final Set<String> ended = ConcurrentHashMap.newKeySet();
    private final Set<String> down = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> livenessFailures = new ConcurrentHashMap<>();
    /** Instances that were ready since their last start: only those are judged by liveness (a JVM starting on a busy
     * machine may take a minute). */
    private final Set<String> readyOnce = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> startedAt = new ConcurrentHashMap<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private volatile String cancelDesignId;
    private volatile Long cancelAtMillis;
    List<String> unhealthy = List.of();
    Map<String, Integer> outboxBacklog = Map.of();
    Map<String, Long> consumerLag = Map.of();
    Duration elapsed;

    Scenario(LocalStack stack, ServiceInstances instances, PrivateMariaDb db, Settings settings, PrintStream out, String tag) {
        this.stack = stack;
        this.instances = instances;
        this.db = db;
        this.settings = settings;
        this.out = out;
        this.tag = tag;
        this.random = new Random(settings.seed());
    }

    String token() {
        return stack.token("chaos", "designer");
    }

    void log(String line) {
        String t = String.format(java.util.Locale.ROOT, "%6.1fs  %s", (System.nanoTime() - startNanos) / 1e9, line);
        timeline.add(t);
        out.println("[chaos] " + t);
    }

    URI sageMaker() {
        return URI.create(stack.config().sageMakerEndpoint());
    }

    // ------------------------------------------------------------------ designs

    static ObjectNode design(String designId, String name, boolean spot, List<ObjectNode> cells, int samplesSeen, double budget) {
        ObjectNode d = Evidence.JSON.createObjectNode();
        d.put("designId", designId);
        d.put("name", name);
        d.putObject("model").put("hubId", "distilbert-base-uncased").put("parameters", 66955010).put("sequenceLength", 128);
        ObjectNode ds = d.putObject("dataset").put("hubId", "amazon_polarity").put("trainFraction", 0.9).put("splitSeed", 42);
        ArrayNode sizes = ds.putArray("sizes");
        cells.stream().map(c -> c.path("datasetSize").asInt()).distinct().sorted().forEach(sizes::add);
        ArrayNode clusters = d.putArray("clusters");
        Set<String> seen = new HashSet<>();
        for (ObjectNode c : cells) {
            if (seen.add(c.path("cluster").toString())) clusters.add(c.path("cluster").deepCopy());
        }
        ArrayNode cellArray = d.putArray("cells");
        cells.forEach(cellArray::add);
        d.putArray("perDeviceBatchSizes").add(16);
        d.putArray("learningRates").add(5e-5);
        d.putObject("schedule").put("samplesSeen", samplesSeen);
        d.put("randomSeed", 7);
        d.put("spot", spot);
        d.put("region", "us-east-1");
        d.put("budgetUsd", budget);
        d.put("rerun", true);
        return d;
    }

    static ObjectNode cell(String type, int count, int size) {
        ObjectNode c = Evidence.JSON.createObjectNode();
        c.putObject("cluster").put("instanceType", type).put("instanceCount", count);
        c.put("datasetSize", size);
        return c;
    }

    /** n runs over 1- to 4-instance clusters of two instance types and five data sizes, in a seeded order. */
    List<ObjectNode> mixedCells(int n, Random r) {
        List<ObjectNode> all = new ArrayList<>();
        String[][] clusters = {{"ml.p3.2xlarge", "1"}, {"ml.p3.2xlarge", "2"}, {"ml.p3.2xlarge", "4"}, {"ml.g5.xlarge", "1"},
                {"ml.g5.xlarge", "3"}};
        int[] sizes = {2000, 3000, 4000, 5000, 6000};
        for (int i = 0; i < n; i++) {
            String[] c = clusters[i % clusters.length];
            all.add(cell(c[0], Integer.parseInt(c[1]), sizes[(i / clusters.length) % sizes.length]));
        }
        Collections.shuffle(all, r);
        return all;
    }

    JsonNode preview(ObjectNode design) throws Exception {
        HttpResponse<String> r = post(stack.config().serviceUrl("design") + "/designs/preview", design.toString());
        if (r.statusCode() != 200) throw new IllegalStateException("preview of " + design.path("designId") + ": HTTP " + r.statusCode() + " " + r.body());
        return Evidence.JSON.readTree(r.body());
    }

    /** Quotes the design, sets its budget to quote × headroom, submits it over REST; returns its run ids. */
    Invariants.Design submit(ObjectNode design, boolean toCancel) throws Exception {
        design.put("budgetUsd", 1_000_000);   // only to read the quote
        double quote = preview(design).path("quote").path("totalUsd").asDouble();
        double budget = Math.ceil(quote * settings.budgetHeadroom() * 100) / 100.0;
        design.put("budgetUsd", budget);
        HttpResponse<String> r = post(stack.config().serviceUrl("design") + "/designs", design.toString());
        if (r.statusCode() != 201 && r.statusCode() != 200) {
            throw new IllegalStateException("submitting " + design.path("designId") + ": HTTP " + r.statusCode() + " " + r.body());
        }
        JsonNode body = Evidence.JSON.readTree(r.body());
        List<String> runIds = new ArrayList<>();
        body.path("runIds").forEach(n -> runIds.add(n.asText()));
        log(String.format(java.util.Locale.ROOT, "submitted %s: %d runs, %s, quote %.2f USD, budget %.2f USD",
                body.path("designId").asText(), runIds.size(), design.path("spot").asBoolean() ? "spot" : "on demand", quote, budget));
        if (toCancel) cancelDesignId = body.path("designId").asText();
        return new Invariants.Design(body.path("designId").asText(), runIds, budget, toCancel, null);
    }

    HttpResponse<String> post(String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    void setFaults(Map<String, Object> faults) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(sageMaker().resolve("/_emulator/faults"))
                .POST(HttpRequest.BodyPublishers.ofString(Evidence.JSON.writeValueAsString(faults))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException("emulator faults: HTTP " + r.statusCode() + " " + r.body());
        log("emulator faults " + faults);
    }

    long emulatorNow() throws Exception {
        JsonNode h = Evidence.JSON.readTree(http.send(HttpRequest.newBuilder(sageMaker().resolve("/_emulator/health")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body());
        return Instant.parse(h.path("simulatedTime").asText()).toEpochMilli();
    }

    // ------------------------------------------------------------------ the run

    /**
     * Submits the main designs (on demand and spot, half the runs each, plus a small one to cancel), plays the schedule
     * and waits until every design ended or the timeout passed.
     */
    void runMain() throws Exception {
        Random designRandom = new Random(settings.seed() * 31 + 1);
        int onDemand = settings.runs() / 2;
        setFaults(settings.faults());
        designs.add(submit(design(tag + "-od", "chaos on demand", false, mixedCells(onDemand, designRandom), 4000, 0), false));
        designs.add(submit(design(tag + "-spot", "chaos spot", true, mixedCells(settings.runs() - onDemand, designRandom), 4000, 0), false));
        if (settings.cancelDesign()) {
            List<ObjectNode> cells = new ArrayList<>();
            for (int i = 0; i < 6; i++) cells.add(cell("ml.p3.8xlarge", 1, 20000 + 1000 * i));
            // long jobs (about 150 s at clock x60): one that is not stopped runs on well past the stop grace
            designs.add(submit(design(tag + "-cancel", "chaos cancelled", false, cells, 6_000_000, 0), true));
        }
        play(designs.stream().map(Invariants.Design::designId).toList());
        if (cancelAtMillis != null) {
            for (int i = 0; i < designs.size(); i++) {
                Invariants.Design d = designs.get(i);
                if (d.cancelled()) designs.set(i, new Invariants.Design(d.designId(), d.runIds(), d.budgetUsd(), true, cancelAtMillis));
            }
        }
    }

    /** A short scenario for the self-test: one small design, faults as set by the caller, no kills. */
    void runSmall(String designId, int runs, Map<String, Object> faults) throws Exception {
        setFaults(faults);
        designs.add(submit(design(designId, "chaos self-test", false, mixedCells(runs, new Random(settings.seed())), 4000, 0), false));
        play(List.of(designId));
    }

    private void play(List<String> designIds) throws Exception {
        Thread watcher = new Thread(() -> watchDesignStatus(designIds), "chaos-watcher");
        watcher.setDaemon(true);
        watcher.start();
        Thread supervisor = new Thread(this::supervise, "chaos-supervisor");
        supervisor.setDaemon(true);
        supervisor.start();
        Thread canceller = null;
        if (cancelDesignId != null) {
            canceller = new Thread(this::cancelWhenRunning, "chaos-canceller");
            canceller.setDaemon(true);
            canceller.start();
        }
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        List<Action> schedule = schedule();
        Thread chaos = new Thread(() -> playSchedule(schedule, deadline), "chaos-schedule");
        chaos.setDaemon(true);
        chaos.start();
        String lastFingerprint = "";
        long lastChange = System.nanoTime();
        boolean stalled = false;
        while (System.nanoTime() < deadline && !ended.containsAll(designIds)) {
            Thread.sleep(1000);
            // Stalled: the schedule is over and SageMaker has seen nothing happen (no job created, none changed) for 60 s.
            String fingerprint = emulatorFingerprint();
            if (!fingerprint.equals(lastFingerprint)) {
                lastFingerprint = fingerprint;
                lastChange = System.nanoTime();
            } else if (!chaos.isAlive() && System.nanoTime() - lastChange > Duration.ofSeconds(60).toNanos()) {
                stalled = true;
                break;
            }
        }
        if (!ended.containsAll(designIds)) {
            log((stalled ? "stalled (nothing happened at SageMaker for 60 s)" : "timeout") + ": designs not ended: "
                    + designIds.stream().filter(d -> !ended.contains(d)).toList());
        } else {
            log("every design ended");
        }
        chaos.join(Duration.ofSeconds(120).toMillis());
        if (canceller != null) canceller.join(5000);
        // the supervisor keeps going until every instance is healthy again
        long healthyBy = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < healthyBy && !unhealthyNow().isEmpty()) Thread.sleep(1000);
        stopping.set(true);
        supervisor.join(10_000);
        unhealthy = unhealthyNow();
        elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
        log("scenario over; unhealthy: " + unhealthy);
    }

    /** Jobs and their statuses at the emulator, as one string (changes whenever anything happens there). */
    private String emulatorFingerprint() {
        try {
            JsonNode view = Evidence.JSON.readTree(http.send(HttpRequest.newBuilder(sageMaker().resolve("/_emulator/jobs")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            StringBuilder b = new StringBuilder();
            for (JsonNode j : view.path("jobs")) b.append(j.path("trainingJobName").asText()).append(j.path("secondaryStatus").asText());
            b.append(view.path("createCalls").size());
            return Integer.toHexString(b.toString().hashCode()) + ":" + b.length();
        } catch (Exception e) {
            return "unreachable " + System.nanoTime();
        }
    }

    List<String> unhealthyNow() {
        List<String> bad = new ArrayList<>();
        for (String i : instances.names()) {
            if (!instances.healthy(i)) bad.add(i + " not healthy");
        }
        if (!db.ping()) bad.add("MariaDB not answering");
        try {
            if (http.send(HttpRequest.newBuilder(sageMaker().resolve("/_emulator/health")).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() != 200) bad.add("AWS stand-in not healthy");
        } catch (Exception e) {
            bad.add("AWS stand-in not answering");
        }
        try (var s = new java.net.Socket("127.0.0.1", stack.config().kafkaPort())) {
            // the broker accepts connections
        } catch (Exception e) {
            bad.add("Kafka broker not answering");
        }
        return bad;
    }

    // ------------------------------------------------------------------ schedule

    record Action(long atMillis, String kind, String what, long downMillis) {
    }

    List<Action> schedule() {
        List<Action> actions = new ArrayList<>();
        long window = Math.max(60_000, settings.runs() * 800L);
        for (int i = 0; i < settings.kills(); i++) {
            long at = (long) (window * (i + 0.5 + (random.nextDouble() - 0.5) * 0.8) / Math.max(1, settings.kills()));
            actions.add(new Action(Math.max(3000, at), "kill", null, 2000 + random.nextInt(4000)));
        }
        long kafkaAt = (long) (window * (0.25 + 0.2 * random.nextDouble()));
        long dbAt = (long) (window * (0.55 + 0.2 * random.nextDouble()));
        if (settings.restartKafka()) actions.add(new Action(kafkaAt, "kafka", null, 3000));
        if (settings.restartDatabase()) actions.add(new Action(dbAt, "mariadb", null, 3000));
        for (int i = 0; i < settings.malformedDesigns(); i++) {
            actions.add(new Action((long) (window * (0.1 + 0.8 * i / Math.max(1, settings.malformedDesigns()))), "malformed",
                    String.valueOf(i + 1), 0));
        }
        for (int i = 0; i < settings.poisonPerTopic(); i++) {
            actions.add(new Action((long) (window * (0.05 + 0.85 * i / Math.max(1, settings.poisonPerTopic()))), "poison",
                    String.valueOf(i), 0));
        }
        actions.sort((a, b) -> Long.compare(a.atMillis(), b.atMillis()));
        return actions;
    }

    private void playSchedule(List<Action> actions, long deadline) {
        long t0 = System.nanoTime();
        List<Action> pending = new ArrayList<>(actions);
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            pending.sort((a, b) -> Long.compare(a.atMillis(), b.atMillis()));
            Action a = pending.remove(0);
            long wait = a.atMillis() - (System.nanoTime() - t0) / 1_000_000;
            try {
                if (wait > 0) Thread.sleep(wait);
                switch (a.kind()) {
                    case "kill" -> {
                        List<String> alive = instances.names().stream().filter(i -> !down.contains(i)).toList();
                        String victim = alive.get(random.nextInt(alive.size()));
                        down.add(victim);
                        instances.kill(victim);
                        kills.incrementAndGet();
                        killsByInstance.merge(victim, 1, Integer::sum);
                        log("kill -9 " + victim + " (restart in " + a.downMillis() / 1000.0 + " s)");
                        long now = (System.nanoTime() - t0) / 1_000_000;
                        pending.add(new Action(now + a.downMillis(), "restart", victim, 0));
                    }
                    case "restart" -> {
                        started(a.what());
                        instances.start(a.what());
                        down.remove(a.what());
                        livenessFailures.remove(a.what());
                        restarts.incrementAndGet();
                        log("restarted " + a.what());
                    }
                    case "kafka" -> {
                        log("Kafka broker: stop (SIGTERM), start again in " + a.downMillis() / 1000 + " s");
                        stack.restartKafka(Duration.ofMillis(a.downMillis()));
                        kafkaRestarts.incrementAndGet();
                        log("Kafka broker back on port " + stack.config().kafkaPort());
                    }
                    case "mariadb" -> {
                        log("MariaDB (the suite's own mariadbd): mariadb-admin shutdown, start again in " + a.downMillis() / 1000 + " s");
                        db.restart(Duration.ofMillis(a.downMillis()));
                        databaseRestarts.incrementAndGet();
                        log("MariaDB back");
                    }
                    case "malformed" -> sendMalformedDesign(Integer.parseInt(a.what()));
                    case "poison" -> sendPoison(Integer.parseInt(a.what()));
                    default -> throw new IllegalStateException(a.kind());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                log("schedule action " + a + " failed: " + e);
            }
        }
        // restarts still due after the deadline
        for (Action a : pending) {
            if (a.kind().equals("restart")) {
                try {
                    instances.start(a.what());
                    down.remove(a.what());
                    restarts.incrementAndGet();
                    log("restarted " + a.what() + " (late)");
                } catch (Exception e) {
                    log("restart of " + a.what() + " failed: " + e);
                }
            }
        }
    }

    /** What Kubernetes would do: restart an instance whose process is gone, or whose liveness stays DOWN for ~10 s. */
    private void supervise() {
        while (!stopping.get()) {
            try {
                Thread.sleep(2500);
                for (String i : instances.names()) {
                    if (down.contains(i)) continue;
                    if (!instances.alive(i)) {
                        log("supervisor: " + i + " has exited; starting it");
                        started(i);
                        instances.start(i);
                        supervisorRestarts.incrementAndGet();
                        continue;
                    }
                    boolean ready = instances.ready(i);
                    boolean live = ready || isUp(instances.url(i).resolve("/q/health/live"));
                    if (ready) readyOnce.add(i);
                    long upFor = System.nanoTime() - startedAt.getOrDefault(i, 0L);
                    boolean starting = !readyOnce.contains(i) && upFor < Duration.ofSeconds(150).toNanos();
                    if (live || starting) {
                        livenessFailures.remove(i);
                    } else if (livenessFailures.merge(i, 1, Integer::sum) >= 8) {
                        // liveness DOWN for 20 s (or never ready within 150 s): what a liveness probe would act on
                        log("supervisor: " + i + " not live for 20 s; restarting it");
                        livenessFailures.remove(i);
                        instances.kill(i);
                        started(i);
                        instances.start(i);
                        supervisorRestarts.incrementAndGet();
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                log("supervisor: " + e);
            }
        }
    }

    private void started(String instance) {
        readyOnce.remove(instance);
        startedAt.put(instance, System.nanoTime());
    }

    private boolean isUp(URI uri) {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private void watchDesignStatus(List<String> designIds) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.config().kafkaBootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "chaos-watch-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            c.subscribe(List.of("bench.design-status"));
            while (!stopping.get() && !ended.containsAll(designIds)) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                    var type = r.headers().lastHeader("event-type");
                    String t = type == null ? "" : new String(type.value(), StandardCharsets.UTF_8);
                    if (r.key() != null && designIds.contains(r.key())
                            && (t.equals("DesignCompleted") || (t.equals("DesignCancelled") && r.key().equals(cancelDesignId)))) {
                        if (ended.add(r.key())) log(t + " " + r.key());
                    }
                }
            }
        } catch (Exception e) {
            log("design-status watcher: " + e);
        }
    }

    /** Cancels the cancel design once two of its jobs are training (or after 90 s), through design-service's REST API. */
    private void cancelWhenRunning() {
        try {
            long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < until) {
                JsonNode view = Evidence.JSON.readTree(http.send(HttpRequest.newBuilder(sageMaker().resolve("/_emulator/jobs")).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                int training = 0;
                for (JsonNode j : view.path("jobs")) {
                    if (cancelDesignId.equals(j.path("tags").path("sagebench:design-id").asText())
                            && "Training".equals(j.path("secondaryStatus").asText())) training++;
                }
                if (training >= 2) break;
                Thread.sleep(1000);
            }
            while (true) {
                try {
                    HttpResponse<String> r = post(stack.config().serviceUrl("design") + "/designs/" + cancelDesignId + "/cancel",
                            "{\"reason\": \"chaos suite\"}");
                    if (r.statusCode() == 202) {
                        cancelAtMillis = emulatorNow();
                        log("cancelled " + cancelDesignId + ": " + r.body().length() + " bytes of answer");
                        return;
                    }
                    log("cancel " + cancelDesignId + ": HTTP " + r.statusCode() + "; retrying");
                } catch (Exception e) {
                    log("cancel " + cancelDesignId + ": " + e.getClass().getSimpleName() + "; retrying");
                }
                Thread.sleep(2000);
            }
        } catch (Exception e) {
            log("canceller: " + e);
        }
    }

    // ------------------------------------------------------------------ bad input

    private KafkaProducer<String, byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.config().kafkaBootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "90000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "90000");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private RecordMetadata send(String topic, String key, byte[] value, String eventType) throws Exception {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, key, value);
        r.headers().add("event-id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        r.headers().add("event-type", eventType.getBytes(StandardCharsets.UTF_8));
        r.headers().add("schema-version", "1".getBytes(StandardCharsets.UTF_8));
        if (topic.equals("bench.designs")) {
            r.headers().add("authorization", ("Bearer " + token()).getBytes(StandardCharsets.UTF_8));
        }
        try (KafkaProducer<String, byte[]> p = producer()) {
            return p.send(r).get();
        }
    }

    static final List<String> POISON_KINDS = List.of("broken JSON", "JSON array", "empty object", "wrong member kinds", "not UTF-8");

    /** The i-th kind of poison: broken JSON, not an object, an empty object, members of the wrong kinds, bytes that are not UTF-8. */
    static byte[] poisonValue(int i) {
        return switch (i % 5) {
            case 0 -> "{\"chaosPoison\": tru".getBytes(StandardCharsets.UTF_8);
            case 1 -> "[\"chaos-poison\", 1, 2]".getBytes(StandardCharsets.UTF_8);
            case 2 -> "{}".getBytes(StandardCharsets.UTF_8);
            case 3 -> ("{\"chaosPoison\": true, \"designId\": {\"x\": 1}, \"runId\": [\"r\"], \"trainingJobName\": {\"n\": 2},"
                    + " \"status\": [\"Completed\"], \"attempt\": {\"a\": 1}, \"model\": [1], \"dataset\": 7, \"runIds\": {},"
                    + " \"lastModifiedTime\": [1], \"budgetUsd\": \"lots\"}").getBytes(StandardCharsets.UTF_8);
            default -> new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE, 0x00, 0x7B};
        };
    }

    private void sendPoison(int i) throws Exception {
        for (Map.Entry<String, String> t : MAIN_TYPE.entrySet()) {
            RecordMetadata m = send(t.getKey(), "chaos-poison-" + tag + "-" + i, poisonValue(i), t.getValue());
            poison.add(new Invariants.Poison(t.getKey(), m.partition(), m.offset(), CONSUMERS.getOrDefault(t.getKey(), List.of()),
                    POISON_KINDS.get(i % 5)));
        }
        log("poison record #" + (i + 1) + " (" + POISON_KINDS.get(i % 5) + ") on each of " + MAIN_TYPE.size() + " input topics");
    }

    /** The i-th malformed design (1-based): valid JSON on bench.designs that design-service must reject. */
    private void sendMalformedDesign(int i) throws Exception {
        String id = tag + "-bad" + i;
        ObjectNode d = design(id, "chaos malformed " + i, false, List.of(cell("ml.p3.2xlarge", 1, 2000)), 4000, 1000);
        String what;
        switch ((i - 1) % 5) {
            case 0 -> {
                d.put("budgetUsd", 0.001);
                what = "quote over its budget";
            }
            case 1 -> {
                ((ObjectNode) d.withArray("cells").get(0).get("cluster")).put("instanceType", "ml.x9.huge");
                ((ObjectNode) d.withArray("clusters").get(0)).put("instanceType", "ml.x9.huge");
                what = "unknown instance type";
            }
            case 2 -> {
                d.remove("model");
                what = "no model";
            }
            case 3 -> {
                ((ObjectNode) d.withArray("cells").get(0).get("cluster")).put("instanceCount", 0);
                ((ObjectNode) d.withArray("clusters").get(0)).put("instanceCount", 0);
                what = "zero instances";
            }
            default -> {
                d.putArray("perDeviceBatchSizes").add(100000);
                ((ObjectNode) d.withArray("cells").get(0)).put("perDeviceBatchSize", 100000);
                what = "batch too large for the GPU";
            }
        }
        send("bench.designs", id, d.toString().getBytes(StandardCharsets.UTF_8), "DesignSubmitted");
        malformed.add(id);
        log("malformed design " + id + " (" + what + ") on bench.designs");
    }
}
