package io.sagebench.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.sagebench.testkit.KafkaBrokerResource;
import io.sagebench.testkit.MariaDbResource;
import io.sagebench.testkit.SageMakerEmulatorResource;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 7's benchmark: from a terminal TrainingJobStateChanged on bench.job-states to the RunResult on bench.results,
 * DescribeTrainingJob against the emulator included; next to it, a bare loop doing the same consume, describe, insert
 * and produce without the service. Skipped unless {@code -Dbenchmark=true}:
 * <pre>
 * mvn -o -B -pl results-service verify -Dtest=ResultsBenchmarkIT -Dbenchmark=true -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * ({@code -Dbenchmark.runs=2000} sets the burst size). Prints lines starting with {@code BENCHMARK}. Figures, not
 * targets, are asserted: every run gives exactly one RunResult. Jobs are created beforehand (rate limit off) and are
 * already Completed, so only the results path is timed.
 */
@QuarkusTest
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
@TestProfile(ResultsBenchmarkIT.AsDeployed.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(restrictToAnnotatedClass = true, value = MariaDbResource.class, initArgs = @ResourceArg(name = "schema", value = "sagebench_results_bench"))
@QuarkusTestResource(restrictToAnnotatedClass = true, value = SageMakerEmulatorResource.class, initArgs = {
        @ResourceArg(name = "createRate", value = "0"), @ResourceArg(name = "clockFactor", value = "20000")})
@QuarkusTestResource(value = io.sagebench.testkit.JwtIssuerResource.class, restrictToAnnotatedClass = true)
class ResultsBenchmarkIT {

    /** Measures what is deployed: tracing off (the prod default), unless {@code -Dbenchmark.tracing=true}. */
    public static class AsDeployed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.sdk.disabled", String.valueOf(!Boolean.getBoolean("benchmark.tracing")));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DESIGN = "bench-results";
    private static final String BASELINE_TOPIC = "bench.benchmark.baseline-in";
    private static final String BASELINE_OUT = "bench.benchmark.baseline-out";
    /** Types in the price book, each with the emulator's default quota of 64 instances: jobs are created in waves. */
    private static final String[] TYPES = {"ml.p3.2xlarge", "ml.p3.8xlarge", "ml.p3.16xlarge"};
    private static final int[] GPUS = {1, 4, 8};
    private static SageMakerClient sageMaker;

    @Inject
    AgroalDataSource dataSource;

    @BeforeAll
    static void client() {
        sageMaker = SageMakerClient.builder().endpointOverride(SageMakerEmulatorResource.emulator().endpoint())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(16))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build();
    }

    @AfterAll
    static void close() {
        sageMaker.close();
    }

    @Test
    void terminalStateToRunResult() throws Exception {
        int runs = Integer.getInteger("benchmark.runs", 2000);
        // A burst of its own: the batch paths are compiled (JIT) before the timed burst, as the bare loops', which
        // run after everything else, are
        int warmup = Integer.getInteger("benchmark.warmup", 1000);
        int paced = runs / 2;
        int total = warmup + runs + paced;
        System.out.printf("BENCHMARK results-service: creating %d completed jobs in the emulator…%n", total + runs);
        createCompletedJobs(1, total);
        // The baseline describes its own jobs, so neither side benefits from the other's caches.
        createCompletedJobs(100_001, runs);

        List<String> runIds = new ArrayList<>();
        for (int i = 1; i <= total; i++) {
            runIds.add(TestEvents.runId(DESIGN, i));
        }
        try (KafkaProducer<String, String> producer = producer()) {
            send(producer, "bench.design-status", DESIGN, "DesignAccepted", TestEvents.designAccepted(DESIGN, runIds));
            for (int i = 1; i <= total; i++) {
                Object[] c = cluster(i);
                String runId = runIds.get(i - 1);
                send(producer, "bench.runs", runId, "RunPlanned", TestEvents.runPlanned(DESIGN, i, (String) c[0], 1,
                        (int) c[1], 1000, cell(i)));
                send(producer, "bench.launches", runId, "RunLaunched", TestEvents.runLaunched(DESIGN, runId, (String) c[0], 1));
            }
            producer.flush();
            awaitLaunched(total);

            try (ResultWatcher watcher = new ResultWatcher()) {
                // Warm-up: JIT of the batch paths, connection pools, topic metadata. Not counted.
                Map<String, Long> sentAt = new ConcurrentHashMap<>();
                terminate(producer, runIds.subList(0, warmup), sentAt, 0);
                watcher.awaitAll(runIds.subList(0, warmup), Duration.ofSeconds(120));

                // Burst: every terminal state at once; the service runs flat out. Throughput.
                List<String> burst = runIds.subList(warmup, warmup + runs);
                long start = System.nanoTime();
                terminate(producer, burst, sentAt, 0);
                Map<String, Long> arrived = watcher.awaitAll(burst, Duration.ofSeconds(600));
                long end = arrived.values().stream().mapToLong(Long::longValue).max().orElseThrow();
                double serviceRate = runs / ((end - start) / 1e9);
                double[] burstLatency = latencies(burst, sentAt, arrived);

                // Paced: half the measured rate, so latency is the pipeline's, not the backlog's.
                double offered = Math.min(500, serviceRate / 2);
                List<String> pacedRuns = runIds.subList(warmup + runs, total);
                terminate(producer, pacedRuns, sentAt, offered);
                Map<String, Long> pacedArrived = watcher.awaitAll(pacedRuns, Duration.ofSeconds(600));
                double[] pacedLatency = latencies(pacedRuns, sentAt, pacedArrived);

                watcher.assertExactlyOnce(runIds);

                double[] baseline = bareLoop(producer, runs, true);
                double[] baselineNoDescribe = bareLoop(producer, runs, false);
                double[] baselineBatched = bareLoop(producer, runs, true, true);
                System.out.printf("BENCHMARK results-service: %d runs, terminal state → RunResult: %.0f runs/s "
                        + "(burst: p50 %.0f ms, p99 %.0f ms — queueing behind the burst)%n", runs, serviceRate,
                        pct(burstLatency, 50), pct(burstLatency, 99));
                System.out.printf("BENCHMARK results-service: paced at %.0f runs/s (%d runs): latency p50 %.1f ms, "
                        + "p99 %.1f ms%n", offered, paced, pct(pacedLatency, 50), pct(pacedLatency, 99));
                System.out.printf("BENCHMARK results-service: bare loop (consume, describe, insert+commit, produce "
                        + "acked, per record): %.0f runs/s; service/bare = %.2f%n", baseline[0], serviceRate / baseline[0]);
                System.out.printf("BENCHMARK results-service: bare loop without describe (consume, insert+commit, "
                        + "produce acked): %.0f runs/s; service/bare = %.2f%n", baselineNoDescribe[0],
                        serviceRate / baselineNoDescribe[0]);
                System.out.printf("BENCHMARK results-service: bare loop, batched like the service (poll 500, describe "
                        + "on 8 threads, one insert batch + commit, produce all acked): %.0f runs/s; service/bare = %.2f%n",
                        baselineBatched[0], serviceRate / baselineBatched[0]);
                System.out.printf("BENCHMARK results-service: tracing %s (-Dbenchmark.tracing=true turns it on)%n",
                        Boolean.getBoolean("benchmark.tracing") ? "on" : "off, as deployed");
                System.out.printf("BENCHMARK results-service: targets: ≥ 500 runs/s → %s; ≥ 50%% of the bare loop "
                        + "(per record) → %s; against the batched loop %.0f%% (for reference: no dedupe, pricing, "
                        + "outbox or design bookkeeping)%n", serviceRate >= 500 ? "met" : "NOT met",
                        serviceRate >= baseline[0] / 2 ? "met" : "NOT met", 100 * serviceRate / baselineBatched[0]);
            }
        }
    }

    private static Object[] cluster(int i) {
        int t = i % TYPES.length;
        return new Object[]{TYPES[t], GPUS[t]};
    }

    private static String cell(int i) {
        return UUID.nameUUIDFromBytes((DESIGN + (i % 12)).getBytes()).toString().replace("-", "").substring(0, 12);
    }

    /** Jobs named as the launcher names them, created from 4 threads, waiting out the instance quota. */
    private static void createCompletedJobs(int from, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicInteger next = new AtomicInteger(from);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            workers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < from + count; i = next.getAndIncrement()) {
                    createJob(TestEvents.runId(DESIGN, i), (String) cluster(i)[0]);
                }
                return null;
            }));
        }
        for (Future<?> f : workers) {
            f.get();
        }
        pool.shutdown();
        String last = TestEvents.jobName(TestEvents.runId(DESIGN, from + count - 1));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> sageMaker.describeTrainingJob(b -> b.trainingJobName(last)).trainingJobStatus()
                        == TrainingJobStatus.COMPLETED);
        Thread.sleep(500);
    }

    private static void createJob(String runId, String instanceType) throws InterruptedException {
        Map<String, String> hp = new HashMap<>(Map.of("model_name_or_path", "\"distilbert-base-uncased\"",
                "per_device_train_batch_size", "32", "max_steps", "20", "dataset_size", "1000",
                "sagemaker_program", "\"train.py\""));
        while (true) {
            try {
                sageMaker.createTrainingJob(b -> b.trainingJobName(TestEvents.jobName(runId))
                        .roleArn("arn:aws:iam::000000000000:role/SageMakerExecutionRole")
                        .algorithmSpecification(a -> a.trainingInputMode("File").trainingImage(
                                "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-training:"
                                        + "2.1.0-transformers4.36.0-gpu-py310-cu121-ubuntu20.04")
                                .metricDefinitions(m -> m.name("eval_f1_score")
                                        .regex("'eval_f1_score': ([0-9]+(.|e\\-)[0-9]+),?")))
                        .hyperParameters(hp)
                        .resourceConfig(r -> r.instanceType(instanceType).instanceCount(1).volumeSizeInGB(30))
                        .stoppingCondition(s -> s.maxRuntimeInSeconds(86400))
                        .outputDataConfig(o -> o.s3OutputPath("s3://sagemaker-us-east-1-000000000000/")));
                return;
            } catch (SageMakerException e) {
                if (!"ResourceLimitExceeded".equals(e.awsErrorDetails().errorCode())) {
                    throw e;
                }
                Thread.sleep(50);   // the quota frees as earlier jobs complete
            }
        }
    }

    private void awaitLaunched(int total) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(500))
                .until(() -> JSON.readTree(Api.asViewer().get("/designs/" + DESIGN + "/progress").asString())
                        .path("launched").asInt() >= total);
    }

    /** Sends each run's terminal state, at {@code ratePerSecond} (0: as fast as possible), noting when. */
    private static void terminate(KafkaProducer<String, String> producer, List<String> runIds, Map<String, Long> sentAt,
                                  double ratePerSecond) throws InterruptedException {
        long t0 = System.nanoTime();
        for (int i = 0; i < runIds.size(); i++) {
            if (ratePerSecond > 0) {
                long due = t0 + (long) (i * 1e9 / ratePerSecond);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
            String runId = runIds.get(i);
            sentAt.put(runId, System.nanoTime());
            send(producer, "bench.job-states", TestEvents.jobName(runId), "TrainingJobStateChanged",
                    TestEvents.jobState(DESIGN, runId, "Completed", "Completed"));
            if (ratePerSecond > 0) {
                producer.flush();
            }
        }
        producer.flush();
    }

    private static void send(KafkaProducer<String, String> producer, String topic, String key, String type, String json) {
        ProducerRecord<String, String> r = new ProducerRecord<>(topic, key, json);
        r.headers().add("event-id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        r.headers().add("event-type", type.getBytes(StandardCharsets.UTF_8));
        r.headers().add("schema-version", "1".getBytes(StandardCharsets.UTF_8));
        producer.send(r);
    }

    /**
     * The same work without the service: consume terminal states, DescribeTrainingJob (optional), insert the record and
     * commit, produce the result and wait for the ack, commit the offset. Returns {runs per second}.
     */
    private double[] bareLoop(KafkaProducer<String, String> producer, int runs, boolean describe) throws Exception {
        return bareLoop(producer, runs, describe, false);
    }

    /**
     * With {@code batched}, the bare loop does what the service does, the simplest way: per poll (up to 500 records),
     * describe them on 8 threads, insert them in one JDBC batch and commit once, produce them all and wait for the
     * acks, commit the offsets. No dedupe, no pricing, no outbox, no design bookkeeping.
     */
    private double[] bareLoop(KafkaProducer<String, String> producer, int runs, boolean describe, boolean batched)
            throws Exception {
        String in = BASELINE_TOPIC + (describe ? "-d" : "-n") + (batched ? "b" : "");
        for (int i = 0; i < runs; i++) {
            String runId = TestEvents.runId(DESIGN, 100_001 + i);
            send(producer, in, TestEvents.jobName(runId), "TrainingJobStateChanged",
                    TestEvents.jobState(DESIGN, runId, "Completed", "Completed"));
        }
        producer.flush();
        String table = (describe ? "baseline_with_describe" : "baseline_without_describe") + (batched ? "_batched" : "");
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + table + " (run_id VARCHAR(80) PRIMARY KEY, job_name VARCHAR(80), "
                    + "billable_seconds BIGINT, payload TEXT, stored_at TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6))");
        }
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerResource.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "baseline-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        ExecutorService describers = Executors.newFixedThreadPool(8);
        int done = 0;
        long start = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
             KafkaProducer<String, String> out = producer();
             Connection db = dataSource.getConnection()) {
            db.setAutoCommit(false);
            consumer.subscribe(List.of(in));
            PreparedStatement insert = db.prepareStatement("INSERT INTO " + table
                    + " (run_id, job_name, billable_seconds, payload) VALUES (?, ?, ?, ?)");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
            while (done < runs && System.nanoTime() < deadline) {
                var records = consumer.poll(Duration.ofMillis(200));
                if (batched) {
                    if (records.isEmpty()) {
                        continue;
                    }
                    if (start == 0) {
                        start = System.nanoTime();
                    }
                    List<Future<Object[]>> rows = new ArrayList<>();
                    for (ConsumerRecord<String, String> r : records) {
                        rows.add(describers.submit(() -> {
                            JsonNode state = JSON.readTree(r.value());
                            String job = state.path("trainingJobName").asText();
                            long billable = describe ? sageMaker.describeTrainingJob(b -> b.trainingJobName(job))
                                    .billableTimeInSeconds() : 0;
                            return new Object[]{state.path("runId").asText(), job, billable, r.value()};
                        }));
                    }
                    List<Future<?>> acks = new ArrayList<>();
                    for (Future<Object[]> f : rows) {
                        Object[] row = f.get();
                        insert.setString(1, (String) row[0]);
                        insert.setString(2, (String) row[1]);
                        insert.setLong(3, (Long) row[2]);
                        insert.setString(4, (String) row[3]);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                    db.commit();
                    for (Future<Object[]> f : rows) {
                        Object[] row = f.get();
                        acks.add(out.send(new ProducerRecord<>(BASELINE_OUT, (String) row[0], (String) row[3])));
                    }
                    for (Future<?> ack : acks) {
                        ack.get();
                    }
                    consumer.commitSync();
                    done += rows.size();
                    continue;
                }
                for (ConsumerRecord<String, String> r : records) {
                    if (start == 0) {
                        start = System.nanoTime();
                    }
                    JsonNode state = JSON.readTree(r.value());
                    String runId = state.path("runId").asText();
                    String job = state.path("trainingJobName").asText();
                    long billable = describe
                            ? sageMaker.describeTrainingJob(b -> b.trainingJobName(job)).billableTimeInSeconds() : 0;
                    insert.setString(1, runId);
                    insert.setString(2, job);
                    insert.setLong(3, billable);
                    insert.setString(4, r.value());
                    insert.executeUpdate();
                    db.commit();
                    out.send(new ProducerRecord<>(BASELINE_OUT, runId, r.value())).get();
                    consumer.commitSync();
                    done++;
                }
            }
        }
        describers.shutdown();
        assertEquals(runs, done, "the bare loop processed every record");
        return new double[]{runs / ((System.nanoTime() - start) / 1e9)};
    }

    private static double[] latencies(List<String> runIds, Map<String, Long> sentAt, Map<String, Long> arrived) {
        return runIds.stream().mapToDouble(r -> (arrived.get(r) - sentAt.get(r)) / 1e6).sorted().toArray();
    }

    private static double pct(double[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static KafkaProducer<String, String> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerResource.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    /** Reads bench.results from a background thread, noting when each run's RunResult arrived, and how many per run. */
    private static final class ResultWatcher implements AutoCloseable {
        private final Map<String, Long> arrived = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> count = new ConcurrentHashMap<>();
        private final Thread thread;
        private volatile boolean running = true;

        ResultWatcher() {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerResource.bootstrapServers());
            p.put(ConsumerConfig.GROUP_ID_CONFIG, "benchmark-watcher-" + UUID.randomUUID());
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
            consumer.subscribe(List.of("bench.results"));
            thread = new Thread(() -> {
                try (consumer) {
                    while (running) {
                        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(20))) {
                            long now = System.nanoTime();
                            if (r.key() != null && r.key().startsWith(DESIGN + "-r")) {
                                arrived.putIfAbsent(r.key(), now);
                                count.computeIfAbsent(r.key(), k -> new AtomicInteger()).incrementAndGet();
                            }
                        }
                    }
                }
            }, "benchmark-result-watcher");
            thread.start();
        }

        Map<String, Long> awaitAll(List<String> runIds, Duration timeout) {
            org.awaitility.Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(50))
                    .until(() -> runIds.stream().allMatch(arrived::containsKey));
            Map<String, Long> out = new HashMap<>();
            runIds.forEach(r -> out.put(r, arrived.get(r)));
            return out;
        }

        void assertExactlyOnce(List<String> runIds) throws InterruptedException {
            Thread.sleep(2000);
            List<String> duplicated = runIds.stream().filter(r -> count.get(r).get() != 1).toList();
            assertTrue(duplicated.isEmpty(), "runs with more than one RunResult: " + duplicated);
            assertEquals(runIds.size(), Arrays.stream(runIds.toArray()).filter(arrived::containsKey).count());
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5000);
        }
    }
}
