package io.sagebench.design.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sagebench.design.repository.OutboxRepository;
import io.sagebench.testkit.TestTopics;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.lang.management.ManagementFactory;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static io.sagebench.design.it.Callers.alice;
import static io.sagebench.design.it.Callers.produceSigned;
import static io.sagebench.design.it.Callers.signed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The benchmark: expand, store and publish a 10,000-run design, and print how long it took and the heap
 * retained afterwards (live heap after a full GC, before and after: no per-run object may stay behind). Skipped
 * unless {@code -Dbenchmark=true}, so it is not timed inside the normal suite:
 * {@code mvn -o -B -pl design-service verify -Dbenchmark=true -Dtest=ExpansionBenchmarkIT -Dsurefire.failIfNoSpecifiedTests=false}
 * prints lines starting with {@code BENCHMARK} (docs/benchmarks.md).
 */
@QuarkusTest
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class ExpansionBenchmarkIT {

    static final ObjectMapper MAPPER = new ObjectMapper();

    @Inject
    OutboxRepository outbox;

    /** 10 sizes × 5 clusters × 2 batches × 10 learning rates × 10 replicates = 10,000 runs. */
    static ObjectNode tenThousandRuns() {
        return design("bench-10k", 10);
    }

    static ObjectNode design(String designId, int replicates) {
        ObjectNode d = MAPPER.createObjectNode();
        d.put("designId", designId);
        d.putObject("model").put("hubId", "distilbert-base-uncased").put("parameters", 66955010).put("sequenceLength", 512);
        ObjectNode ds = d.putObject("dataset").put("hubId", "amazon_polarity");
        ArrayNode sizes = ds.putArray("sizes");
        for (int i = 1; i <= 10; i++) {
            sizes.add(i * 100_000);
        }
        ArrayNode clusters = d.putArray("clusters");
        clusters.addObject().put("instanceType", "ml.p3.2xlarge").put("instanceCount", 1);
        clusters.addObject().put("instanceType", "ml.p3.8xlarge").put("instanceCount", 1);
        clusters.addObject().put("instanceType", "ml.p3.16xlarge").put("instanceCount", 1);
        clusters.addObject().put("instanceType", "ml.p3.16xlarge").put("instanceCount", 2);
        clusters.addObject().put("instanceType", "ml.p4d.24xlarge").put("instanceCount", 1);
        d.putArray("perDeviceBatchSizes").add(16).add(32);
        ArrayNode rates = d.putArray("learningRates");
        for (int i = 1; i <= 10; i++) {
            rates.add(i * 1e-5);
        }
        d.put("replicates", replicates);
        d.putObject("schedule").put("samplesSeen", 2_700_000);
        d.put("budgetUsd", 10_000_000);
        return d;
    }

    @Test
    void tenThousandRunDesign() throws Exception {
        // warm up the JIT on the same path with a 1,000-run design, as a running service would be
        alice().contentType(ContentType.JSON).body(design("bench-warmup", 1).toString()).post("/designs")
                .then().statusCode(201);
        while (outbox.hasUnsent()) {
            Thread.sleep(10);
        }
        String body = tenThousandRuns().toString();
        long heapBefore = liveHeapBytes();
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        int runCount = MAPPER.readTree(alice().contentType(ContentType.JSON).body(body).post("/designs")
                .then().statusCode(201).extract().asString()).get("runCount").asInt();
        long stored = System.nanoTime();
        while (outbox.hasUnsent()) {
            Thread.sleep(10);
            assertTrue(System.nanoTime() - start < Duration.ofMinutes(2).toNanos(), "outbox not drained in 2 min");
        }
        long published = System.nanoTime();
        long cpu = processCpuNanos() - cpuStart;
        long heapAfter = liveHeapBytes();
        assertEquals(10_000, runCount);
        System.out.printf("BENCHMARK design-service (after a 1,000-run warm-up): %d runs expanded, validated, quoted and stored in %d ms; "
                        + "all published and acknowledged by Kafka after %d ms%n", runCount,
                (stored - start) / 1_000_000, (published - start) / 1_000_000);
        // On a shared machine the wall clock depends on the others' load; the CPU time spent does much less.
        System.out.printf("BENCHMARK design-service load average %.1f on %d cores; this JVM (service and broker) used "
                        + "%d ms of CPU until published%n", loadBefore, Runtime.getRuntime().availableProcessors(),
                cpu / 1_000_000);
        System.out.printf("BENCHMARK design-service heap after full GC: %.1f MB before, %.1f MB after publishing "
                        + "(%+.1f MB retained; %d bytes per run)%n", heapBefore / 1e6, heapAfter / 1e6,
                (heapAfter - heapBefore) / 1e6, (heapAfter - heapBefore) / runCount);
        // Kept per-run state (an entity, its JSON and outbox row: several kB a run) would retain tens of MB.
        assertTrue(heapAfter - heapBefore < 10_000_000L, "the 10,000-run design left "
                + (heapAfter - heapBefore) / 1_000_000 + " MB on the heap");
        assertEquals(10_000, TestTopics.consume("bench.runs", 10_000, Duration.ofSeconds(60),
                r -> r.key() != null && r.key().startsWith("bench-10k-")).size());
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Heap in use after full collections (settled: the smallest of three), i.e. what is still reachable. */
    static long liveHeapBytes() throws InterruptedException {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
            least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return least;
    }
}
