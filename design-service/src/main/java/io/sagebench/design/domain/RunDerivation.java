package io.sagebench.design.domain;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.sagebench.contracts.catalog.InstanceCatalog;
import io.sagebench.contracts.catalog.InstanceSpec;
import io.sagebench.contracts.catalog.PriceBook;

/**
 * The runs of a design: its clusters resolved against the catalog and price book, the grid expanded, and each run's
 * values derived the way the seed study did by hand (steps, epochs, learning-rate scaling, volume, runtime limits),
 * with its quote ({@link TrainingModel}).
 */
public final class RunDerivation {

    /** The stable id of a cell's configuration (replicates share it, across designs too). */
    @FunctionalInterface
    public interface CellHasher {
        String cellId(Design d, long datasetSize, String instanceType, int instanceCount, String distribution,
                      int perDeviceBatchSize, double learningRate);
    }

    private final InstanceCatalog catalog;
    private final PlannerSettings settings;
    private final CellHasher cells;

    RunDerivation(InstanceCatalog catalog, PlannerSettings settings, CellHasher cells) {
        this.catalog = catalog;
        this.settings = settings;
        this.cells = cells;
    }

    /** A cluster resolved against the catalog: the instance and the distribution actually used. */
    record ResolvedCluster(Design.Cluster cluster, InstanceSpec instance, String distribution, double hourlyPrice) {
    }

    /** One cell before derivation: where each value came from, for error paths. */
    record CellConfig(Design.Valued<Long> datasetSize, ResolvedCluster cluster, Design.Valued<Integer> batch,
                              Design.Valued<Double> learningRate) {
    }

    Optional<ResolvedCluster> resolveCluster(Design.Cluster c, String region,
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

    static long countRuns(Design d) {
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
    static List<CellConfig> expandCells(Design d, Map<String, ResolvedCluster> resolved) {
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

    PlannedRun derive(Design d, String designId, CellConfig cell, PriceBook.Version prices,
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
            errors.add(new ValidationError(cell.datasetSize().path(), String.format(Locale.ROOT,
                    "dataset size %d × trainFraction %s = %.0f training samples is less than the global batch %d "
                            + "(perDeviceBatchSize %d × %d GPUs of %s)", datasetSize, d.dataset().trainFraction(),
                    trainSamples, globalBatch, perDevice, totalGpus, cell.cluster().cluster().path())));
            ok = false;
        }
        double needed = TrainingModel.gpuBytesNeeded(d.model(), perDevice);
        double usable = TrainingModel.gpuBytesUsable(instance);
        if (needed > usable) {
            errors.add(new ValidationError(cell.batch().path(), String.format(Locale.ROOT,
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
            errors.add(new ValidationError(cell.cluster().cluster().path(), String.format(Locale.ROOT,
                    "a run on this cluster with dataset size %d is quoted at %d s, longer than the maximum runtime of %d s",
                    datasetSize, seconds, settings.maxRuntimeSeconds())));
            return null;
        }
        double hourly = cell.cluster().hourlyPrice();
        double usd = DesignPlanning.round(seconds / 3600.0 * hourly * count, 4);
        int maxRuntime = (int) Math.min(settings.maxRuntimeSeconds(),
                Math.max(settings.minRuntimeSeconds(), Math.ceil(seconds * settings.runtimeSafetyFactor())));
        // Spot jobs may wait for capacity: SageMaker requires MaxWait >= MaxRuntime; allow as long again.
        Integer maxWait = d.spot() ? (int) Math.min(2_419_200L, 2L * maxRuntime) : null;

        String distribution = cell.cluster().distribution();
        String cellId = cells.cellId(d, datasetSize, instance.instanceType(), count, distribution, perDevice, learningRate);
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

    static PlannedRun withReplicate(PlannedRun r, int replicate) {
        return new PlannedRun(r.runId(), r.designId(), r.cellId(), r.sequence(), replicate, r.model(), r.datasetHubId(),
                r.datasetSize(), r.trainFraction(), r.splitSeed(), r.instanceType(), r.instanceCount(),
                r.gpusPerInstance(), r.totalGpus(), r.distribution(), r.perDeviceBatchSize(), r.globalBatchSize(),
                r.learningRate(), r.steps(), r.epochs(), r.samplesSeen(), r.volumeSizeGb(), r.maxRuntimeSeconds(),
                r.spot(), r.maxWaitSeconds(), r.region(), r.hyperparameters(), r.quote());
    }

    static PlannedRun numbered(PlannedRun r, String runId, int sequence) {
        return new PlannedRun(runId, r.designId(), r.cellId(), sequence, r.replicate(), r.model(),
                r.datasetHubId(), r.datasetSize(), r.trainFraction(), r.splitSeed(), r.instanceType(),
                r.instanceCount(), r.gpusPerInstance(), r.totalGpus(), r.distribution(), r.perDeviceBatchSize(),
                r.globalBatchSize(), r.learningRate(), r.steps(), r.epochs(), r.samplesSeen(), r.volumeSizeGb(),
                r.maxRuntimeSeconds(), r.spot(), r.maxWaitSeconds(), r.region(), r.hyperparameters(), r.quote());
    }
}
