package io.sagebench.monitor.it;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.sagebench.monitor.config.MonitorConfig;
import io.sagebench.monitor.app.MonitorMetrics;
import io.sagebench.monitor.app.SqsEventPoller;
import io.sagebench.testkit.MariaDbResource;
import io.sagebench.testkit.ElasticMqResource;
import io.sagebench.testkit.KafkaBrokerResource;
import io.sagebench.testkit.SageMakerEmulatorResource;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The benchmark: events per second from the queue (embedded ElasticMQ) to bench.job-states, against a bare
 * receive + send + delete loop over the same queue and broker without the monitor's logic (no parsing, no database, no
 * rules). Skipped unless {@code -Dbenchmark=true}:
 * {@code mvn -o -B -pl monitor-service verify -Dbenchmark=true -Dtest=MonitorThroughputBenchmarkIT
 * -Dsurefire.failIfNoSpecifiedTests=false | grep BENCHMARK} ({@code -Dbenchmark.events=N}, default 20,000).
 * Both loops gather the same number of receives per batch and delete only after Kafka acknowledged, so the ratio
 * prices exactly the monitor's logic: parsing, the per-batch transaction (locks, rules, transitions, processed ids).
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(value = MariaDbResource.class,
        initArgs = @ResourceArg(name = "schema", value = "sagebench_monitor_test"))
@QuarkusTestResource(ElasticMqResource.class)
@QuarkusTestResource(value = SageMakerEmulatorResource.class, initArgs = {
        @ResourceArg(name = "clockFactor", value = "20000"), @ResourceArg(name = "createRate", value = "0")})
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class MonitorThroughputBenchmarkIT {

    private static final String[] SECONDARIES = {"Starting", "Downloading", "Training", "Interrupted"};
    private static final int EVENTS_PER_JOB = 10;

    @Inject
    SqsEventPoller poller;
    @Inject
    MonitorMetrics counters;
    @Inject
    MonitorConfig config;
    /** %test traces every published state in memory: emptied after each timed loop, so the spans do not pile up. */
    @Inject
    io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter spans;

    @Test
    void monitorAgainstABareLoop() throws Exception {
        int events = Integer.getInteger("benchmark.events", 20_000);
        poller.stop();
        try (SqsClient sqs = ElasticMqResource.client();
             KafkaProducer<String, String> producer = producer()) {
            // warm-up of both paths (JIT, connection pools, Hibernate), a tenth of the run
            fill(sqs, events / 10);
            timeMonitor(sqs, events / 10);
            fill(sqs, events / 10);
            timeBareLoop(sqs, producer, events / 10);

            // Rounds alternate the two loops, so a burst of load from elsewhere on the machine hits both alike.
            int rounds = Integer.getInteger("benchmark.rounds", 2);
            double bestBare = 0;
            double bestMonitor = 0;
            System.out.printf("BENCHMARK monitor-service: %d events (%d jobs x %d) per round, %d receives per batch%n",
                    events, events / EVENTS_PER_JOB, EVENTS_PER_JOB, config.receivesPerBatch());
            for (int round = 1; round <= rounds; round++) {
                fill(sqs, events);
                double bare = events / timeBareLoop(sqs, producer, events);

                fill(sqs, events);
                long receivedBefore = counters.get("received");
                long publishedBefore = counters.get("published");
                double monitor = events / timeMonitor(sqs, events);
                long received = counters.get("received") - receivedBefore;
                long published = counters.get("published") - publishedBefore;

                System.out.printf("BENCHMARK round %d: bare receive+send+delete loop %.0f events/s; monitor queue ->"
                                + " bench.job-states %.0f events/s (%d received, %d published, %d dropped as out of order);"
                                + " ratio %.0f%%%n", round, bare, monitor, received, published, received - published,
                        100 * monitor / bare);
                assertEquals(events, received, "every event received once");
                assertTrue(published > events * 0.5, "most events are new states");
                bestBare = Math.max(bestBare, bare);
                bestMonitor = Math.max(bestMonitor, monitor);
            }
            System.out.printf("BENCHMARK best of %d: bare %.0f events/s, monitor %.0f events/s, ratio %.0f%%%n",
                    rounds, bestBare, bestMonitor, 100 * bestMonitor / bestBare);
        } finally {
            poller.start();
        }
    }

    /** Starts the poller on a full queue and returns the seconds until every message was handled and deleted. */
    private double timeMonitor(SqsClient sqs, int events) throws InterruptedException {
        long start = System.nanoTime();
        poller.start();
        awaitEmpty(sqs);
        double seconds = (System.nanoTime() - start) / 1e9;
        poller.stop();
        spans.reset();
        return seconds;
    }

    /**
     * The same shape as the poller without its logic: a long poll, more receives at once when it came back full, every
     * body sent to Kafka (acks=all, idempotent, keyed), all acknowledgements awaited, then the deletes in chunks at once.
     */
    private double timeBareLoop(SqsClient sqs, KafkaProducer<String, String> producer, int events) throws Exception {
        ExecutorService io = Executors.newFixedThreadPool(config.receivesPerBatch());
        try {
            long start = System.nanoTime();
            int deleted = 0;
            while (deleted < events) {
                List<Message> batch = new ArrayList<>(receive(sqs, 1));
                if (batch.size() == 10) {
                    List<CompletableFuture<List<Message>>> more = new ArrayList<>();
                    for (int i = 1; i < config.receivesPerBatch(); i++) {
                        more.add(CompletableFuture.supplyAsync(() -> receive(sqs, 0), io));
                    }
                    more.forEach(f -> batch.addAll(f.join()));
                }
                List<Future<RecordMetadata>> acks = new ArrayList<>();
                for (Message m : batch) {
                    acks.add(producer.send(new ProducerRecord<>("bench.benchmark-bare", m.messageId(), m.body())));
                }
                for (Future<RecordMetadata> ack : acks) {
                    ack.get();
                }
                List<CompletableFuture<Void>> deletes = new ArrayList<>();
                for (int from = 0; from < batch.size(); from += 10) {
                    List<DeleteMessageBatchRequestEntry> entries = batch.subList(from, Math.min(batch.size(), from + 10))
                            .stream().map(m -> DeleteMessageBatchRequestEntry.builder().id(m.messageId())
                                    .receiptHandle(m.receiptHandle()).build()).toList();
                    deletes.add(CompletableFuture.runAsync(() -> sqs.deleteMessageBatch(b -> b
                            .queueUrl(ElasticMqResource.queueUrl()).entries(entries)), io));
                }
                deletes.forEach(CompletableFuture::join);
                deleted += batch.size();
            }
            return (System.nanoTime() - start) / 1e9;
        } finally {
            io.shutdownNow();
        }
    }

    private static List<Message> receive(SqsClient sqs, int waitSeconds) {
        return sqs.receiveMessage(b -> b.queueUrl(ElasticMqResource.queueUrl()).maxNumberOfMessages(10)
                .waitTimeSeconds(waitSeconds).visibilityTimeout(30)).messages();
    }

    /**
     * Fills the queue with {@code events} state changes of events/10 fresh jobs, each job's ten changes in time order,
     * the jobs interleaved (every job's first change, then every job's second...), as many concurrent jobs produce them.
     */
    private static void fill(SqsClient sqs, int events) throws Exception {
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        int jobs = events / EVENTS_PER_JOB;
        long t0 = System.currentTimeMillis();
        List<String> bodies = new ArrayList<>(events);
        for (int k = 0; k < EVENTS_PER_JOB; k++) {
            for (int j = 0; j < jobs; j++) {
                String job = "bench-bm%s-r%05d-a1".formatted(run, j);
                boolean last = k == EVENTS_PER_JOB - 1;
                bodies.add(EventBridgeEvents.stateChange(job, last ? "Completed" : "InProgress",
                        last ? "Completed" : SECONDARIES[k % SECONDARIES.length], t0 + k * 1000L));
            }
        }
        ExecutorService senders = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> sends = new ArrayList<>();
            for (int from = 0; from < bodies.size(); from += 10) {
                List<String> chunk = bodies.subList(from, Math.min(bodies.size(), from + 10));
                sends.add(senders.submit(() -> {
                    List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
                    for (int i = 0; i < chunk.size(); i++) {
                        entries.add(SendMessageBatchRequestEntry.builder().id("m" + i).messageBody(chunk.get(i)).build());
                    }
                    sqs.sendMessageBatch(b -> b.queueUrl(ElasticMqResource.queueUrl()).entries(entries));
                }));
            }
            for (Future<?> f : sends) {
                f.get();
            }
        } finally {
            senders.shutdownNow();
        }
    }

    private static void awaitEmpty(SqsClient sqs) throws InterruptedException {
        while (true) {
            Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(ElasticMqResource.queueUrl())
                    .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
            if ("0".equals(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                    && "0".equals(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))) {
                return;
            }
            Thread.sleep(50);
        }
    }

    private static KafkaProducer<String, String> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerResource.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }
}
