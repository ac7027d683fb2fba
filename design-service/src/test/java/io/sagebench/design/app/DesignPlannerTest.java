package io.sagebench.design.app;

import io.sagebench.design.domain.*;

import io.sagebench.contracts.catalog.InstanceCatalog;
import io.sagebench.contracts.catalog.InstanceSpec;
import io.sagebench.contracts.catalog.PriceBook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DesignPlannerTest {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final LocalDate TODAY = LocalDate.of(2026, 11, 27);
    static final InstanceCatalog CATALOG = InstanceCatalog.fromClasspath();
    static final DesignPlanner PLANNER = new DesignPlanner(InstanceCatalog.fromClasspath(), PriceBook.fromClasspath(),
            PlannerSettings.defaults());

    /** The study's raw 15-run design with num_nodes decoded: 1 = one p3.2xlarge, 2/4 = that many p3.16xlarge. */
    static ObjectNode studyDesign() {
        String[][] rows = {{"4", "600000"}, {"4", "100000"}, {"4", "1000000"}, {"2", "1000000"}, {"1", "100000"},
                {"4", "600000"}, {"1", "1000000"}, {"1", "100000"}, {"4", "1000000"}, {"1", "600000"},
                {"2", "100000"}, {"4", "100000"}, {"1", "1000000"}, {"2", "100000"}, {"2", "600000"}};
        ObjectNode d = base();
        ArrayNode cells = d.putArray("cells");
        for (String[] row : rows) {
            ObjectNode cell = cells.addObject();
            int nodes = Integer.parseInt(row[0]);
            cell.set("cluster", nodes == 1 ? cluster("ml.p3.2xlarge", 1, "none")
                    : cluster("ml.p3.16xlarge", nodes, "smdistributed"));
            cell.put("datasetSize", Long.parseLong(row[1]));
        }
        return d;
    }

    static ObjectNode base() {
        ObjectNode d = MAPPER.createObjectNode();
        d.put("name", "study");
        d.putObject("model").put("hubId", "distilbert-base-uncased").put("parameters", 66955010).put("sequenceLength", 512);
        ObjectNode ds = d.putObject("dataset").put("hubId", "amazon_polarity").put("trainFraction", 0.9).put("splitSeed", 42);
        ds.putArray("sizes").add(100000).add(600000).add(1000000);
        d.putArray("perDeviceBatchSizes").add(32);
        d.putArray("learningRates").add(5e-5);
        d.putObject("schedule").put("samplesSeen", 2_700_000);
        d.put("randomSeed", 2021);
        d.put("budgetUsd", 5000);
        return d;
    }

    static ObjectNode cluster(String type, int count, String distribution) {
        ObjectNode c = MAPPER.createObjectNode().put("instanceType", type).put("instanceCount", count);
        if (distribution != null) {
            c.put("distribution", distribution);
        }
        return c;
    }

    static Plan plan(JsonNode design) {
        return PLANNER.plan(design, TODAY);
    }

    static Set<String> errorPaths(Plan plan) {
        return plan.errors().stream().map(ValidationError::path).collect(Collectors.toSet());
    }

    @Test
    void studyDesignYieldsTheSeedsDerivedValues() {
        Plan plan = plan(studyDesign());
        assertTrue(plan.valid(), () -> plan.errors().toString());
        assertEquals(15, plan.runs().size());
        for (PlannedRun run : plan.runs()) {
            switch (run.totalGpus()) {
                case 1 -> {
                    assertEquals("ml.p3.2xlarge", run.instanceType());
                    assertEquals(32, run.globalBatchSize());
                    assertEquals(84_375, run.steps());
                    assertEquals("none", run.distribution());
                }
                case 16 -> {
                    assertEquals(2, run.instanceCount());
                    assertEquals(8, run.gpusPerInstance());
                    assertEquals(512, run.globalBatchSize());
                    assertEquals(5273, run.steps());
                }
                case 32 -> {
                    assertEquals(4, run.instanceCount());
                    assertEquals(1024, run.globalBatchSize());
                    assertEquals(2637, run.steps());
                    assertEquals("smdistributed", run.distribution());
                }
                default -> throw new AssertionError("unexpected GPU count " + run.totalGpus());
            }
            double expectedEpochs = Map.of(1_000_000L, 3.0, 600_000L, 5.0, 100_000L, 30.0).get(run.datasetSize());
            assertEquals(expectedEpochs, run.epochs(), 1e-9);
            assertEquals(2_700_000, run.samplesSeen());
            assertEquals(5e-5, run.learningRate());
            assertTrue(run.volumeSizeGb() >= 30);
            assertTrue(run.maxRuntimeSeconds() >= 3600 && run.maxRuntimeSeconds() <= 432_000);
            assertTrue(run.maxRuntimeSeconds() >= run.quote().seconds());
            assertEquals("us-east-1", run.region());
            assertEquals("2021-study", run.quote().priceBookVersion());
        }
        assertEquals(5, plan.runs().stream().filter(r -> r.totalGpus() == 1).count());
        assertEquals(4, plan.runs().stream().filter(r -> r.totalGpus() == 16).count());
        assertEquals(6, plan.runs().stream().filter(r -> r.totalGpus() == 32).count());
    }

    @Test
    void runIdsFollowTheSeededOrderAndReplicatesShareTheirCell() {
        Plan plan = plan(studyDesign());
        for (int i = 0; i < plan.runs().size(); i++) {
            PlannedRun run = plan.runs().get(i);
            assertEquals(i + 1, run.sequence());
            assertEquals(plan.designId() + "-r" + String.format("%03d", i + 1), run.runId());
            assertTrue(run.cellId().matches("[0-9a-f]{12}"));
        }
        Map<String, List<PlannedRun>> byCell = plan.runs().stream().collect(Collectors.groupingBy(PlannedRun::cellId));
        // 3 sizes × 3 clusters = 9 distinct cells; the 15 listings are their replicates.
        assertEquals(9, byCell.size());
        byCell.values().forEach(runs -> assertEquals(
                java.util.stream.IntStream.rangeClosed(1, runs.size()).boxed().collect(Collectors.toSet()),
                runs.stream().map(PlannedRun::replicate).collect(Collectors.toSet())));
        // the same seed gives the same order; another seed another order
        assertEquals(plan.runs(), plan(studyDesign()).runs());
        ObjectNode reseeded = studyDesign().put("randomSeed", 7);
        assertNotEquals(plan.runs().stream().map(PlannedRun::cellId).toList(),
                plan(reseeded).runs().stream().map(PlannedRun::cellId).toList());
    }

    @Test
    void designIdIsDerivedFromCanonicalContentAndSeedFromTheId() {
        ObjectNode a = studyDesign();
        a.remove("randomSeed");
        // same content, keys in another order
        ObjectNode b = MAPPER.createObjectNode();
        List<String> names = new java.util.ArrayList<>();
        a.fieldNames().forEachRemaining(names::add);
        java.util.Collections.reverse(names);
        names.forEach(n -> b.set(n, a.get(n)));
        Plan pa = plan(a);
        Plan pb = plan(b);
        assertTrue(pa.designId().matches("d-[0-9a-f]{12}"));
        assertEquals(pa.designId(), pb.designId());
        assertEquals(Canonical.derivedRandomSeed(pa.designId()), pa.randomSeed());
        assertNotEquals(pa.designId(), plan(a.deepCopy().put("budgetUsd", 4000)).designId());
        assertEquals("given", plan(a.deepCopy().put("designId", "given")).designId());
    }

    @Test
    void fullFactorialWithReplicates() {
        ObjectNode d = base();
        d.putArray("clusters").add(cluster("ml.p3.2xlarge", 1, null)).add(cluster("ml.p3.8xlarge", 1, null));
        d.put("replicates", 2);
        d.put("budgetUsd", 100000);
        Plan plan = plan(d);
        assertTrue(plan.valid(), () -> plan.errors().toString());
        assertEquals(3 * 2 * 2, plan.runs().size());
        PlannedRun eightX = plan.runs().stream().filter(r -> r.instanceType().equals("ml.p3.8xlarge")).findFirst().orElseThrow();
        assertEquals(128, eightX.globalBatchSize());
        assertEquals(21094, eightX.steps());
        assertEquals("none", eightX.distribution());
    }

    @Test
    void cellsWithFactorialTrueAddToTheGridAndOverrideBatchAndRate() {
        ObjectNode d = base();
        d.putArray("clusters").add(cluster("ml.p3.2xlarge", 1, null));
        ObjectNode cell = d.putArray("cells").addObject();
        cell.set("cluster", cluster("ml.p3.16xlarge", 1, "smdistributed"));
        cell.put("datasetSize", 600000).put("perDeviceBatchSize", 16);
        d.put("budgetUsd", 100000);
        Plan cellsOnly = plan(d);
        assertEquals(1, cellsOnly.runs().size());
        PlannedRun run = cellsOnly.runs().get(0);
        assertEquals(128, run.globalBatchSize());
        // samplesSeen / 128 (the seed's row 16 kept the batch-32 plan's 10,547 steps after halving the batch)
        assertEquals(21094, run.steps());
        d.put("factorial", true);
        assertEquals(4, plan(d).runs().size());
    }

    @Test
    void sqrtScalingReproducesTheStudysLargeBatchRate() {
        ObjectNode d = base();
        d.putArray("clusters").add(cluster("ml.p3.16xlarge", 4, "smdistributed"));
        d.putObject("learningRateScaling").put("rule", "sqrt").put("baseGlobalBatch", 32);
        Plan plan = plan(d);
        assertTrue(plan.valid(), () -> plan.errors().toString());
        assertEquals(2.82843e-4, plan.runs().get(0).learningRate(), 1e-9);
        d.putObject("learningRateScaling").put("rule", "linear").put("baseGlobalBatch", 256);
        assertEquals(2e-4, plan(d).runs().get(0).learningRate(), 1e-12);
    }

    @Test
    void epochScheduleDerivesSteps() {
        ObjectNode d = base();
        d.putArray("clusters").add(cluster("ml.p3.16xlarge", 2, null));
        d.putObject("schedule").put("epochs", 2);
        Plan plan = plan(d);
        assertTrue(plan.valid(), () -> plan.errors().toString());
        PlannedRun small = plan.runs().stream().filter(r -> r.datasetSize() == 100_000).findFirst().orElseThrow();
        assertEquals(180_000, small.samplesSeen());
        assertEquals((long) Math.ceil(180_000 / 512.0), small.steps());
        assertEquals(2.0, small.epochs());
        assertEquals("smdistributed", small.distribution(), "several p3.16xlarge default to smdistributed");
    }

    @Test
    void quoteMatchesAHandComputedExample() {
        ObjectNode d = base();
        ((ArrayNode) d.get("dataset").get("sizes")).removeAll().add(1_000_000);
        d.putArray("clusters").add(cluster("ml.p3.2xlarge", 1, "none")).add(cluster("ml.p3.16xlarge", 2, "smdistributed"));
        Plan plan = plan(d);
        assertTrue(plan.valid(), () -> plan.errors().toString());
        PlannedRun one = plan.runs().stream().filter(r -> r.totalGpus() == 1).findFirst().orElseThrow();
        // One V100, batch 32, 84,375 steps. Compute per step = 32 × (6 × 66,955,010 × 512 FLOPs) / 8.4331e12 FLOP/s
        // = 32 / 41 = 0.780488 s (the calibration point itself); no all-reduce.
        // 84,375 × 0.780488 = 65,853.66 → 65,854 s, + 300 s startup = 66,154 s; × 3.825 USD/h = 70.2886 USD.
        long oneSeconds = 66_154;
        assertEquals(oneSeconds, one.quote().seconds());
        assertEquals(70.2886, one.quote().usd(), 1e-9);
        assertEquals(3.825, one.quote().hourlyPriceUsd());
        PlannedRun two = plan.runs().stream().filter(r -> r.totalGpus() == 16).findFirst().orElseThrow();
        // Two p3.16xlarge (8 V100 each), batch 32, 5,273 steps. Gradients = 66,955,010 × 4 B = 267.82 MB.
        // compute 0.780488 s; NVLink ring over 8 GPUs: 2 × 7/8 × 267.82 MB / 100 GB/s = 0.004687 s;
        // network ring over 2 instances: 2 × 1/2 × 267.82 MB / (25 Gbit/s / 8 × 0.70) = 0.122432 s.
        // 5,273 × 0.907607 = 4,785.81 → 4,786 s, + 300 = 5,086 s; × 28.152 USD/h × 2 instances = 79.5450 USD.
        long twoSeconds = 5_086;
        assertEquals(twoSeconds, two.quote().seconds());
        assertEquals(79.545, two.quote().usd(), 1e-9);
        assertEquals(0.7805, TrainingModel.computeSecondsPerStep(two.model(), CATALOG.find("ml.p3.16xlarge").orElseThrow(), 32), 1e-4);
        assertEquals(0.1271, TrainingModel.allReduceSecondsPerStep(two.model(), CATALOG.find("ml.p3.16xlarge").orElseThrow(), 2), 1e-4);
        // the calibrated utilization of a V100: 8.43 of 15.7 peak TFLOP/s
        assertEquals(0.537, TrainingModel.V100_SUSTAINED_FLOPS / TrainingModel.V100_PEAK_FP32_FLOPS, 1e-3);
        assertEquals(Math.round((one.quote().usd() + two.quote().usd()) * 100) / 100.0, plan.quote().totalUsd(), 1e-9);
        assertEquals(oneSeconds + twoSeconds, plan.quote().totalSeconds());
        assertEquals(3 * oneSeconds, one.maxRuntimeSeconds());
        assertEquals(3 * twoSeconds, two.maxRuntimeSeconds());
        ((ObjectNode) d.get("schedule")).put("samplesSeen", 10_000);
        plan(d).runs().forEach(r -> assertEquals(3600, r.maxRuntimeSeconds(), "a short run still gets an hour"));
    }

    @Test
    void allReduceGrowsWithInstancesAndShrinksWithFasterInterconnects() {
        Design.Model distilbert = new Design.Model("distilbert-base-uncased", 66_955_010, 512);
        InstanceSpec p3 = CATALOG.find("ml.p3.16xlarge").orElseThrow();
        InstanceSpec p3dn = CATALOG.find("ml.p3dn.24xlarge").orElseThrow();
        assertEquals(0, TrainingModel.allReduceSecondsPerStep(distilbert, CATALOG.find("ml.p3.2xlarge").orElseThrow(), 1));
        double two = TrainingModel.allReduceSecondsPerStep(distilbert, p3, 2);
        double four = TrainingModel.allReduceSecondsPerStep(distilbert, p3, 4);
        // ring: 2 (n − 1) / n of the gradients cross each network interface: 1.0 → 1.5 from 2 to 4 instances
        assertEquals(0.004687 + 1.5 * 0.122432, four, 1e-5);
        assertTrue(four > two);
        // EFA at 100 Gbit/s and 90 % instead of 25 Gbit/s over TCP at 70 %
        assertTrue(TrainingModel.allReduceSecondsPerStep(distilbert, p3dn, 2) < two / 4);
        // an A100 does the same step 2.5 × faster
        assertEquals(TrainingModel.computeSecondsPerStep(distilbert, p3, 32) / 2.5,
                TrainingModel.computeSecondsPerStep(distilbert, CATALOG.find("ml.p4d.24xlarge").orElseThrow(), 32), 1e-12);
    }

    @Test
    void spotSetsMaxWaitAtLeastMaxRuntime() {
        ObjectNode d = base();
        d.putArray("clusters").add(cluster("ml.p3.16xlarge", 4, null));
        d.put("spot", true);
        Plan plan = plan(d);
        plan.runs().forEach(r -> assertTrue(r.maxWaitSeconds() >= r.maxRuntimeSeconds()));
        d.put("spot", false);
        plan(d).runs().forEach(r -> assertEquals(null, r.maxWaitSeconds()));
    }

    @Test
    void volumeGrowsWithTheDataset() {
        Design.Model distilbert = new Design.Model("distilbert-base-uncased", 66_955_010, 512);
        assertEquals(30, TrainingModel.volumeSizeGb(distilbert, 100_000));
        // 1M × 512 tokens × 16 B × 3 copies + 28 B × params, +25 %, +10 GB
        assertEquals(44, TrainingModel.volumeSizeGb(distilbert, 1_000_000));
        assertTrue(TrainingModel.volumeSizeGb(distilbert, 20_000_000) > 600);
    }

    @Test
    void budgetExceededIsRejectedWithTheNumbers() {
        ObjectNode d = studyDesign().put("budgetUsd", 100);
        Plan plan = plan(d);
        assertEquals(List.of("$.budgetUsd"), plan.errors().stream().map(ValidationError::path).toList());
        assertTrue(plan.errors().get(0).message().contains("more than the budget of 100.00 USD"),
                plan.errors().get(0).message());
        assertTrue(plan.runs().isEmpty());
    }

    private static void assertRejected(Consumer<ObjectNode> mutation, String path, String messagePart) {
        ObjectNode d = base();
        d.putArray("clusters").add(cluster("ml.p3.2xlarge", 1, null));
        mutation.accept(d);
        Plan plan = plan(d);
        assertTrue(plan.errors().stream().anyMatch(e -> e.path().equals(path) && e.message().contains(messagePart)),
                () -> "expected " + path + " ~ " + messagePart + " in " + plan.errors());
    }

    @Test
    void eachValidationRuleHasItsPath() {
        assertRejected(d -> ((ArrayNode) d.get("clusters")).add(cluster("ml.x9.huge", 1, null)),
                "$.clusters[1].instanceType", "unknown instance type");
        assertRejected(d -> ((ArrayNode) d.get("clusters")).add(cluster("ml.p3.8xlarge", 1, "smdistributed")),
                "$.clusters[1].distribution", "does not support ml.p3.8xlarge");
        assertRejected(d -> ((ArrayNode) d.get("clusters")).add(cluster("ml.p3.16xlarge", 21, null)),
                "$.clusters[1].instanceCount", "from 1 to 20");
        assertRejected(d -> ((ArrayNode) d.get("clusters")).add(cluster("ml.p3.16xlarge", 0, null)),
                "$.clusters[1].instanceCount", "from 1 to 20");
        assertRejected(d -> ((ArrayNode) d.get("clusters")).add(cluster("ml.p3.16xlarge", 2, "none")),
                "$.clusters[1].distribution", "cannot use 2 instances");
        assertRejected(d -> ((ArrayNode) d.get("clusters")).add(cluster("ml.trn1.32xlarge", 1, null)),
                "$.clusters[1].instanceType", "no GPUs");
        assertRejected(d -> ((ArrayNode) d.get("clusters")).add(cluster("ml.p5.48xlarge", 1, null)),
                "$.clusters[1].instanceType", "no price");
        assertRejected(d -> d.put("region", "eu-west-1"), "$.clusters[0].instanceType", "in region eu-west-1");
        assertRejected(d -> d.putArray("clusters"), "$.clusters", "must not be empty");
        assertRejected(d -> d.remove("clusters"), "$.clusters", "is required");
        assertRejected(d -> d.putArray("learningRates"), "$.learningRates", "must not be empty");
        assertRejected(d -> d.remove("perDeviceBatchSizes"), "$.perDeviceBatchSizes", "is required");
        assertRejected(d -> ((ArrayNode) d.get("dataset").get("sizes")).add(-5), "$.dataset.sizes[3]", "positive");
        assertRejected(d -> ((ArrayNode) d.get("perDeviceBatchSizes")).add(0), "$.perDeviceBatchSizes[1]", "positive");
        assertRejected(d -> ((ArrayNode) d.get("learningRates")).add(-1e-5), "$.learningRates[1]", "positive");
        assertRejected(d -> ((ArrayNode) d.get("dataset").get("sizes")).add(20), "$.dataset.sizes[3]",
                "less than the global batch 32");
        assertRejected(d -> ((ObjectNode) d.get("schedule")).put("epochs", 3), "$.schedule", "not both");
        assertRejected(d -> d.putObject("schedule"), "$.schedule", "either samplesSeen or epochs");
        assertRejected(d -> ((ArrayNode) d.get("perDeviceBatchSizes")).add(64), "$.perDeviceBatchSizes[1]",
                "GiB per GPU");
        assertRejected(d -> d.remove("budgetUsd"), "$.budgetUsd", "required");
        assertRejected(d -> d.put("designId", "Not_Valid"), "$.designId", "lower-case");
        assertRejected(d -> d.put("replicates", 5000), "$.replicates", "1 to 100");
        assertRejected(d -> ((ObjectNode) d.get("model")).remove("parameters"), "$.model.parameters", "required");
        assertRejected(d -> d.putObject("learningRateScaling").put("rule", "cubic"), "$.learningRateScaling.rule", "one of");
        assertRejected(d -> d.putArray("cells").addObject().put("datasetSize", 1000), "$.cells[0].cluster", "required");
    }

    @Test
    void everyErrorIsReportedAtOnce() {
        ObjectNode d = base();
        d.putArray("clusters").add(cluster("ml.p3.2xlarge", 1, null)).add(cluster("ml.nope.big", 30, null));
        ((ObjectNode) d.get("schedule")).put("epochs", 2);
        d.putArray("learningRates");
        Plan plan = plan(d);
        assertEquals(Set.of("$.clusters[1].instanceType", "$.clusters[1].instanceCount", "$.schedule", "$.learningRates"),
                errorPaths(plan), plan.errors()::toString);
    }

    @Test
    void gridOverTheCapIsRejectedBeforeExpanding() {
        ObjectNode d = base();
        d.putArray("clusters").add(cluster("ml.p3.2xlarge", 1, null));
        ArrayNode rates = d.putArray("learningRates");
        for (int i = 1; i <= 100; i++) {
            rates.add(i * 1e-6);
        }
        d.put("replicates", 20);
        Plan plan = plan(d);
        assertEquals(Set.of("$"), errorPaths(plan));
        assertTrue(plan.errors().get(0).message().contains("6000 runs"));
    }

    @Test
    void cellReplicatesMeasuredBeforeAreReusedAndTheQuoteShowsTheSaving() {
        ObjectNode d = base();
        d.putArray("clusters").add(cluster("ml.p3.16xlarge", 2, null));
        Plan fresh = plan(d);
        PlannedRun measured = fresh.runs().get(0);
        DesignPlanner.CompletedRuns lookup = cellIds -> cellIds.contains(measured.cellId())
                ? Map.of(measured.cellId() + "#1", "earlier-r007") : Map.of();
        Plan incremental = PLANNER.plan(d, TODAY, lookup);
        assertTrue(incremental.valid(), incremental.errors()::toString);
        assertEquals(Map.of(measured.runId(), "earlier-r007"), incremental.reusedFrom());
        assertEquals(2, incremental.runsToPlan().size());
        assertEquals(1, incremental.quote().reusedRuns());
        assertEquals(measured.quote().usd(), incremental.quote().savedUsd(), 0.01);
        assertEquals(fresh.quote().totalUsd() - measured.quote().usd(), incremental.quote().totalUsd(), 0.01);

        assertTrue(PLANNER.plan(d.deepCopy().put("rerun", true), TODAY, lookup).reusedFrom().isEmpty());

        DesignPlanner.CompletedRuns everything = cellIds -> cellIds.stream()
                .collect(Collectors.toMap(c -> c + "#1", c -> "old-" + c));
        assertEquals(Set.of("$.rerun"), errorPaths(PLANNER.plan(d, TODAY, everything)));
    }

    @Test
    void notAnObjectIsOneError() {
        assertEquals(List.of(new ValidationError("$", "a design must be a JSON object")),
                plan(MAPPER.getNodeFactory().textNode("hello")).errors());
    }
}
