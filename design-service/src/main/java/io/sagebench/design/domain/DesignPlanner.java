package io.sagebench.design.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sagebench.contracts.catalog.InstanceCatalog;
import io.sagebench.contracts.catalog.InstanceSpec;
import io.sagebench.contracts.catalog.PriceBook;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Turns a design's JSON into a {@link Plan}: validates everything (collecting every error with its JSON path),
 * expands the grid, derives each run's values the way the seed study did by hand, quotes it and checks the budget.
 * Pure and deterministic for a given catalog, price book and date.
 */
public final class DesignPlanner {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final InstanceCatalog catalog;
    private final PriceBook priceBook;
    private final PlannerSettings settings;

    public DesignPlanner(InstanceCatalog catalog, PriceBook priceBook, PlannerSettings settings) {
        this.catalog = catalog;
        this.priceBook = priceBook;
        this.settings = settings;
    }

    /** A cluster resolved against the catalog: the instance and the distribution actually used. */
    private record ResolvedCluster(Design.Cluster cluster, InstanceSpec instance, String distribution, double hourlyPrice) {
    }

    /** One cell before derivation: where each value came from, for error paths. */
    private record CellConfig(Design.Valued<Long> datasetSize, ResolvedCluster cluster, Design.Valued<Integer> batch,
                              Design.Valued<Double> learningRate) {
    }

    /**
     * Runs measured to completion before, by cell and replicate: {@code cellId#replicate} → the runId that measured
     * it. Asked once per plan with every cellId of the design.
     */
    @FunctionalInterface
    public interface CompletedRuns {
        CompletedRuns NONE = cellIds -> Map.of();

        Map<String, String> find(Set<String> cellIds);
    }

    public Plan plan(JsonNode root, LocalDate quoteDate) {
        return plan(root, quoteDate, CompletedRuns.NONE);
    }

    public Plan plan(JsonNode root, LocalDate quoteDate, CompletedRuns completedRuns) {
        DesignParser.Result parsed = DesignParser.parse(root, settings.defaultRegion());
        Set<ValidationError> errors = new LinkedHashSet<>(parsed.errors());

        String region = parsed.design() != null ? parsed.design().region()
                : Optional.ofNullable(root).map(r -> r.path("region").asText(null)).orElse(settings.defaultRegion());
        Optional<PriceBook.Version> prices = priceBook.versionOn(quoteDate);
        if (prices.isEmpty()) {
            errors.add(new ValidationError("$", "no price book version is in effect on " + quoteDate));
        }
        Map<String, ResolvedCluster> resolved = new HashMap<>();
        for (Design.Cluster c : parsed.readableClusters()) {
            resolveCluster(c, region, prices, errors).ifPresent(r -> resolved.put(c.path(), r));
        }
        Design design = parsed.design();
        if (design == null || !errors.isEmpty() && resolved.size() < parsed.readableClusters().size()) {
            return rejected(errors);
        }

        String designId = design.designId() != null ? design.designId() : Canonical.derivedDesignId(root);
        long randomSeed = design.randomSeed() != null ? design.randomSeed() : Canonical.derivedRandomSeed(designId);

        long runCount = countRuns(design);
        if (runCount > settings.maxRuns()) {
            errors.add(new ValidationError("$", "the design expands to " + runCount + " runs, more than the cap of "
                    + settings.maxRuns() + " (sagebench.design.max-runs)"));
            return rejected(errors);
        }

        List<CellConfig> cells = expandCells(design, resolved);
        List<PlannedRun> runs = new ArrayList<>(cells.size());
        Map<String, Integer> replicatesByCell = new HashMap<>();
        for (CellConfig cell : cells) {
            PlannedRun run = derive(design, designId, cell, prices.orElseThrow(), errors);
            if (run != null) {
                int replicate = replicatesByCell.merge(run.cellId(), 1, Integer::sum);
                runs.add(withReplicate(run, replicate));
            }
        }
        if (!errors.isEmpty()) {
            return rejected(errors);
        }

        // The seeded shuffle is the run order (and the runIds): recorded so the plan can be reproduced. A design
        // that is already in a randomized order (an imported study) says randomize: false.
        if (design.randomize()) {
            Collections.shuffle(runs, new Random(randomSeed));
        }
        List<PlannedRun> ordered = new ArrayList<>(runs.size());
        for (int i = 0; i < runs.size(); i++) {
            ordered.add(numbered(runs.get(i), designId, i + 1));
        }
        // Incremental designs: a cell replicate already measured to completion is reused, unless rerun is asked.
        Map<String, String> reusedFrom = new HashMap<>();
        if (!design.rerun()) {
            Map<String, String> completed = completedRuns.find(
                    ordered.stream().map(PlannedRun::cellId).collect(java.util.stream.Collectors.toSet()));
            for (PlannedRun r : ordered) {
                String earlier = completed.get(r.cellId() + "#" + r.replicate());
                if (earlier != null) {
                    reusedFrom.put(r.runId(), earlier);
                }
            }
        }
        if (!ordered.isEmpty() && reusedFrom.size() == ordered.size()) {
            errors.add(new ValidationError("$.rerun", "all " + ordered.size() + " runs were already measured to "
                    + "completion by earlier designs; set rerun: true to measure them again"));
            return rejected(errors);
        }
        List<PlannedRun> toRun = ordered.stream().filter(r -> !reusedFrom.containsKey(r.runId())).toList();
        double totalUsd = round(toRun.stream().mapToDouble(r -> r.quote().usd()).sum(), 2);
        double totalSeconds = toRun.stream().mapToLong(r -> r.quote().seconds()).sum();
        double savedUsd = round(ordered.stream().filter(r -> reusedFrom.containsKey(r.runId()))
                .mapToDouble(r -> r.quote().usd()).sum(), 2);
        Plan.DesignQuote quote = new Plan.DesignQuote(totalUsd, totalSeconds, design.budgetUsd(),
                prices.get().version(), reusedFrom.size(), savedUsd);
        if (totalUsd > design.budgetUsd()) {
            double instanceHours = toRun.stream()
                    .mapToDouble(r -> r.quote().seconds() / 3600.0 * r.instanceCount()).sum();
            errors.add(new ValidationError("$.budgetUsd", String.format(java.util.Locale.ROOT,
                    "the quote is %.2f USD for %d runs (%.1f instance-hours at price book %s), more than the budget of %.2f USD",
                    totalUsd, toRun.size(), instanceHours, prices.get().version(), design.budgetUsd()),
                    ValidationError.BUDGET));
            return new Plan(designId, Canonical.designContent(root), design, randomSeed, List.of(), quote, Map.of(),
                    List.copyOf(errors));
        }
        return new Plan(designId, Canonical.designContent(root), design, randomSeed, List.copyOf(ordered), quote,
                Map.copyOf(reusedFrom), List.of());
    }

    private static Plan rejected(Set<ValidationError> errors) {
        return new Plan(null, null, null, 0, List.of(), null, Map.of(), List.copyOf(errors));
    }

    private Optional<ResolvedCluster> resolveCluster(Design.Cluster c, String region,
                                                     Optional<PriceBook.Version> prices, Set<ValidationError> errors) {
        Optional<InstanceSpec> found = catalog.find(c.instanceType());
        if (found.isEmpty()) {
            errors.add(new ValidationError(c.path() + ".instanceType", "unknown instance type " + c.instanceType()
                    + "; known: " + String.join(", ", catalog.instanceTypes())));
            return Optional.empty();
        }
        InstanceSpec instance = found.get();
        boolean ok = true;
        if (instance.gpus() < 1) {
            errors.add(new ValidationError(c.path() + ".instanceType",
                    c.instanceType() + " has no GPUs; sagebench benchmarks GPU fine-tuning"));
            ok = false;
        }
        String distribution = c.distribution();
        if (distribution == null) {
            // Several instances need a data-parallel launcher; prefer smdistributed where SageMaker supports it.
            distribution = c.instanceCount() == 1 ? "none" : instance.smdistributed() ? "smdistributed" : "pytorch-ddp";
        }
        if ("smdistributed".equals(distribution) && !instance.smdistributed()) {
            errors.add(new ValidationError(c.path() + ".distribution", "smdistributed data parallel does not support "
                    + c.instanceType() + "; it needs one of " + String.join(", ", catalog.instanceTypes().stream()
                    .filter(t -> catalog.find(t).orElseThrow().smdistributed()).toList())));
            ok = false;
        }
        if ("none".equals(distribution) && c.instanceCount() > 1) {
            errors.add(new ValidationError(c.path() + ".distribution",
                    "distribution none cannot use " + c.instanceCount() + " instances; use smdistributed or pytorch-ddp"));
            ok = false;
        }
        double price = 0;
        if (prices.isPresent()) {
            Optional<Double> hourly = prices.get().hourlyPrice(region, c.instanceType());
            if (hourly.isEmpty()) {
                errors.add(new ValidationError(c.path() + ".instanceType", "no price for " + c.instanceType()
                        + " in region " + region + " in price book " + prices.get().version()));
                ok = false;
            } else {
                price = hourly.get();
            }
        } else {
            ok = false;
        }
        return ok ? Optional.of(new ResolvedCluster(c, instance, distribution, price)) : Optional.empty();
    }

    private static long countRuns(Design d) {
        long factorial = d.expandsFactorial()
                ? (long) d.dataset().sizes().size() * d.clusters().size() * d.perDeviceBatchSizes().size()
                  * d.learningRates().size() * d.replicates()
                : 0;
        return factorial + d.cells().size();
    }

    /**
     * The full factorial (when it applies) then the explicit cells, in the order written. A cell's missing batch or
     * learning rate is the first of the design's lists.
     */
    private static List<CellConfig> expandCells(Design d, Map<String, ResolvedCluster> resolved) {
        List<CellConfig> out = new ArrayList<>();
        if (d.expandsFactorial()) {
            for (Design.Valued<Long> size : d.dataset().sizes()) {
                for (Design.Cluster cluster : d.clusters()) {
                    for (Design.Valued<Integer> batch : d.perDeviceBatchSizes()) {
                        for (Design.Valued<Double> lr : d.learningRates()) {
                            for (int r = 0; r < d.replicates(); r++) {
                                out.add(new CellConfig(size, resolved.get(cluster.path()), batch, lr));
                            }
                        }
                    }
                }
            }
        }
        for (Design.Cell cell : d.cells()) {
            Design.Valued<Integer> batch = cell.perDeviceBatchSize() != null ? cell.perDeviceBatchSize()
                    : d.perDeviceBatchSizes().get(0);
            Design.Valued<Double> lr = cell.learningRate() != null ? cell.learningRate() : d.learningRates().get(0);
            out.add(new CellConfig(cell.datasetSize(), resolved.get(cell.cluster().path()), batch, lr));
        }
        return out;
    }

    private PlannedRun derive(Design d, String designId, CellConfig cell, PriceBook.Version prices,
                              Set<ValidationError> errors) {
        InstanceSpec instance = cell.cluster().instance();
        int count = cell.cluster().cluster().instanceCount();
        int totalGpus = instance.gpus() * count;
        int perDevice = cell.batch().value();
        int globalBatch = perDevice * totalGpus;
        long datasetSize = cell.datasetSize().value();
        double trainSamples = datasetSize * d.dataset().trainFraction();
        boolean ok = true;

        if (trainSamples < globalBatch) {
            errors.add(new ValidationError(cell.datasetSize().path(), String.format(java.util.Locale.ROOT,
                    "dataset size %d × trainFraction %s = %.0f training samples is less than the global batch %d "
                            + "(perDeviceBatchSize %d × %d GPUs of %s)", datasetSize, d.dataset().trainFraction(),
                    trainSamples, globalBatch, perDevice, totalGpus, cell.cluster().cluster().path())));
            ok = false;
        }
        double needed = TrainingModel.gpuBytesNeeded(d.model(), perDevice);
        double usable = TrainingModel.gpuBytesUsable(instance);
        if (needed > usable) {
            errors.add(new ValidationError(cell.batch().path(), String.format(java.util.Locale.ROOT,
                    "perDeviceBatchSize %d needs about %.1f GiB per GPU for %s at sequence length %d, more than the "
                            + "%d GiB of a %s GPU (%s, %s)", perDevice, needed / (1L << 30), d.model().hubId(),
                    d.model().sequenceLength(), instance.gpuMemoryGiB(), instance.gpuModel(), instance.instanceType(),
                    cell.cluster().cluster().path())));
            ok = false;
        }
        if (!ok) {
            return null;
        }

        long samplesSeen;
        long steps;
        double epochs;
        if (d.schedule().samplesSeen() != null) {
            // The study's rule: every run sees the same samples, so steps shrink as the global batch grows.
            samplesSeen = d.schedule().samplesSeen();
            steps = Math.max(1, Math.round((double) samplesSeen / globalBatch));
            epochs = samplesSeen / trainSamples;
        } else {
            epochs = d.schedule().epochs();
            samplesSeen = Math.round(epochs * trainSamples);
            steps = Math.max(1, (long) Math.ceil((double) samplesSeen / globalBatch));
        }
        double learningRate = scaledLearningRate(cell.learningRate().value(), globalBatch, d.learningRateScaling());

        long seconds = TrainingModel.quotedSeconds(d.model(), instance, count, perDevice, steps,
                settings.startupOverheadSeconds());
        if (seconds > settings.maxRuntimeSeconds()) {
            errors.add(new ValidationError(cell.cluster().cluster().path(), String.format(java.util.Locale.ROOT,
                    "a run on this cluster with dataset size %d is quoted at %d s, longer than the maximum runtime of %d s",
                    datasetSize, seconds, settings.maxRuntimeSeconds())));
            return null;
        }
        double hourly = cell.cluster().hourlyPrice();
        double usd = round(seconds / 3600.0 * hourly * count, 4);
        int maxRuntime = (int) Math.min(settings.maxRuntimeSeconds(),
                Math.max(settings.minRuntimeSeconds(), Math.ceil(seconds * settings.runtimeSafetyFactor())));
        // Spot jobs may wait for capacity: SageMaker requires MaxWait >= MaxRuntime; allow as long again.
        Integer maxWait = d.spot() ? (int) Math.min(2_419_200L, 2L * maxRuntime) : null;

        String distribution = cell.cluster().distribution();
        String cellId = cellId(d, datasetSize, instance.instanceType(), count, distribution, perDevice, learningRate);
        return new PlannedRun(null, designId, cellId, 0, 0, d.model(), d.dataset().hubId(), datasetSize,
                d.dataset().trainFraction(), d.dataset().splitSeed(), instance.instanceType(), count, instance.gpus(),
                totalGpus, distribution, perDevice, globalBatch, learningRate, steps, epochs, samplesSeen,
                TrainingModel.volumeSizeGb(d.model(), datasetSize), maxRuntime, d.spot(), maxWait, d.region(),
                d.hyperparameters(), new PlannedRun.RunQuote(seconds, usd, hourly, prices.version()));
    }

    static double scaledLearningRate(double base, int globalBatch, Design.LearningRateScaling scaling) {
        double ratio = (double) globalBatch / scaling.baseGlobalBatch();
        double lr = switch (scaling.rule()) {
            case "linear" -> base * ratio;
            case "sqrt" -> base * Math.sqrt(ratio);
            default -> base;
        };
        return new BigDecimal(lr).round(new MathContext(6, RoundingMode.HALF_EVEN)).doubleValue();
    }

    /** 12 hex of SHA-256 of the cell's configuration; replicates of a cell share it, across designs too. */
    static String cellId(Design d, long datasetSize, String instanceType, int count, String distribution,
                         int perDevice, double learningRate) {
        ObjectNode cell = MAPPER.createObjectNode();
        cell.putObject("model").put("hubId", d.model().hubId()).put("parameters", d.model().parameters())
                .put("sequenceLength", d.model().sequenceLength());
        cell.putObject("dataset").put("hubId", d.dataset().hubId()).put("size", datasetSize)
                .put("trainFraction", d.dataset().trainFraction()).put("splitSeed", d.dataset().splitSeed());
        cell.putObject("cluster").put("instanceType", instanceType).put("instanceCount", count)
                .put("distribution", distribution);
        cell.put("perDeviceBatchSize", perDevice);
        cell.put("learningRate", learningRate);
        // hyperparameters reach the training script (e.g. fp16), so they are part of what is measured
        if (!d.hyperparameters().isEmpty()) {
            ObjectNode hp = cell.putObject("hyperparameters");
            d.hyperparameters().forEach(hp::put);
        }
        ObjectNode schedule = cell.putObject("schedule");
        if (d.schedule().samplesSeen() != null) {
            schedule.put("samplesSeen", d.schedule().samplesSeen());
        } else {
            schedule.put("epochs", d.schedule().epochs());
        }
        return Canonical.sha256Hex(Canonical.json(cell)).substring(0, 12);
    }

    private static PlannedRun withReplicate(PlannedRun r, int replicate) {
        return new PlannedRun(r.runId(), r.designId(), r.cellId(), r.sequence(), replicate, r.model(), r.datasetHubId(),
                r.datasetSize(), r.trainFraction(), r.splitSeed(), r.instanceType(), r.instanceCount(),
                r.gpusPerInstance(), r.totalGpus(), r.distribution(), r.perDeviceBatchSize(), r.globalBatchSize(),
                r.learningRate(), r.steps(), r.epochs(), r.samplesSeen(), r.volumeSizeGb(), r.maxRuntimeSeconds(),
                r.spot(), r.maxWaitSeconds(), r.region(), r.hyperparameters(), r.quote());
    }

    private static PlannedRun numbered(PlannedRun r, String designId, int sequence) {
        return new PlannedRun(runId(designId, sequence), r.designId(), r.cellId(), sequence, r.replicate(), r.model(),
                r.datasetHubId(), r.datasetSize(), r.trainFraction(), r.splitSeed(), r.instanceType(),
                r.instanceCount(), r.gpusPerInstance(), r.totalGpus(), r.distribution(), r.perDeviceBatchSize(),
                r.globalBatchSize(), r.learningRate(), r.steps(), r.epochs(), r.samplesSeen(), r.volumeSizeGb(),
                r.maxRuntimeSeconds(), r.spot(), r.maxWaitSeconds(), r.region(), r.hyperparameters(), r.quote());
    }

    public static String runId(String designId, int sequence) {
        return designId + "-r" + String.format(java.util.Locale.ROOT, "%03d", sequence);
    }

    static double round(double value, int decimals) {
        return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).doubleValue();
    }
}
