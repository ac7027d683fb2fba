package io.sagebench.results.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The answers the study asked for, per design and per dataset size: how much time more GPUs save (speedup, scaling
 * efficiency against the smallest cluster), what it costs (cost and time saved per extra dollar), what happens to F1
 * (change against the smallest global batch), and which cells are worth it (Pareto frontier over time, cost and F1).
 * Only Completed runs count; replicates of a cell are averaged with a 95% confidence interval.
 */
public record Analysis(String designId, int completedRuns, int excludedRuns, List<Cell> cells, List<SizeSummary> bySize) {

    public record Cell(String cellId, int datasetSize, String instanceType, int instanceCount, int totalGpus,
                       String distribution, int globalBatchSize, double learningRate, int replicates,
                       Stats trainingSeconds, Stats billableSeconds, Stats costUsd, Stats f1,
                       Double speedup, Double scalingEfficiency, Double timeSavedPerExtraDollar,
                       Double f1DeltaVsSmallestBatch, boolean paretoOptimal) {
    }

    /** One dataset size: its baseline (smallest cluster), the cells on its Pareto frontier, and F1 by global batch. */
    public record SizeSummary(int datasetSize, String baselineCellId, List<String> paretoFrontier,
                              String diminishingReturnsCellId, List<F1Point> f1ByGlobalBatch) {
    }

    /** A step up in GPUs is still worth it while it saves at least this share of the first step's hours per dollar. */
    public static final double DEFAULT_KNEE_FRACTION = 0.25;

    public record F1Point(int globalBatchSize, double learningRate, double f1) {
    }

    public static Analysis of(String designId, List<RunRecord> results) {
        return of(designId, results, DEFAULT_KNEE_FRACTION);
    }

    public static Analysis of(String designId, List<RunRecord> results, double kneeFraction) {
        Map<String, List<RunRecord>> byCell = new LinkedHashMap<>();
        int excluded = 0;
        for (RunRecord r : results) {
            if (!RunStatus.COMPLETED.equals(r.status())) {
                excluded++;
                continue;
            }
            byCell.computeIfAbsent(r.cellId(), k -> new ArrayList<>()).add(r);
        }
        Map<Integer, List<Cell>> bySize = new TreeMap<>();
        for (List<RunRecord> runs : byCell.values()) {
            RunRecord first = runs.get(0);
            List<Double> f1s = runs.stream().filter(r -> r.f1() != null).map(RunRecord::f1).toList();
            Cell c = new Cell(first.cellId(), first.datasetSize(), first.instanceType(), first.instanceCount(),
                    first.totalGpus(), first.distribution(), first.globalBatchSize(), first.learningRate(), runs.size(),
                    Stats.of(runs.stream().map(r -> (double) r.trainingSeconds()).toList()),
                    Stats.of(runs.stream().map(r -> (double) r.billableSeconds()).toList()),
                    Stats.of(runs.stream().map(r -> r.costUsd().doubleValue()).toList()),
                    f1s.isEmpty() ? null : Stats.of(f1s), null, null, null, null, false);
            bySize.computeIfAbsent(c.datasetSize(), k -> new ArrayList<>()).add(c);
        }
        List<Cell> cells = new ArrayList<>();
        List<SizeSummary> summaries = new ArrayList<>();
        bySize.forEach((size, sizeCells) -> {
            List<Cell> derived = derive(sizeCells);
            cells.addAll(derived);
            Cell baseline = baseline(sizeCells);
            List<F1Point> f1Points = derived.stream().filter(c -> c.f1() != null)
                    .sorted(Comparator.comparingInt(Cell::globalBatchSize).thenComparingDouble(Cell::learningRate))
                    .map(c -> new F1Point(c.globalBatchSize(), c.learningRate(), c.f1().mean())).toList();
            summaries.add(new SizeSummary(size, baseline.cellId(),
                    derived.stream().filter(Cell::paretoOptimal).map(Cell::cellId).toList(),
                    diminishingReturns(sizeCells, kneeFraction), f1Points));
        });
        return new Analysis(designId, results.size() - excluded, excluded, cells, summaries);
    }

    /** The smallest cluster (fewest GPUs, then cheapest) of a dataset size. */
    static Cell baseline(List<Cell> cells) {
        return cells.stream().min(Comparator.comparingInt(Cell::totalGpus)
                .thenComparingDouble(c -> c.costUsd().mean())).orElseThrow();
    }

    private static List<Cell> derive(List<Cell> cells) {
        Cell base = baseline(cells);
        int smallestBatch = cells.stream().mapToInt(Cell::globalBatchSize).min().orElse(0);
        Double smallestBatchF1 = cells.stream().filter(c -> c.globalBatchSize() == smallestBatch && c.f1() != null)
                .mapToDouble(c -> c.f1().mean()).average().stream().boxed().findFirst().orElse(null);
        double baseTime = base.trainingSeconds().mean();
        double baseCost = base.costUsd().mean();
        List<Cell> out = new ArrayList<>();
        for (Cell c : cells) {
            double time = c.trainingSeconds().mean();
            Double speedup = time > 0 ? baseTime / time : null;
            Double efficiency = speedup == null || base.totalGpus() == 0 ? null
                    : speedup / ((double) c.totalGpus() / base.totalGpus());
            double extraDollars = c.costUsd().mean() - baseCost;
            // Hours saved per extra dollar; undefined when it is not more expensive (then it is simply better).
            Double savedPerDollar = c == base || extraDollars <= 0 ? null : (baseTime - time) / 3600.0 / extraDollars;
            Double f1Delta = c.f1() == null || smallestBatchF1 == null ? null : c.f1().mean() - smallestBatchF1;
            out.add(new Cell(c.cellId(), c.datasetSize(), c.instanceType(), c.instanceCount(), c.totalGpus(),
                    c.distribution(), c.globalBatchSize(), c.learningRate(), c.replicates(), c.trainingSeconds(),
                    c.billableSeconds(), c.costUsd(), c.f1(), speedup, efficiency, savedPerDollar, f1Delta,
                    paretoOptimal(c, cells)));
        }
        return out;
    }

    /**
     * The point of diminishing returns: walking up the GPU counts (the fastest cell of each count), the last cell
     * before a step that saves no time, or saves fewer hours per extra dollar than {@code fraction} of the first
     * step did. A step that is both faster and no dearer is always worth taking.
     */
    static String diminishingReturns(List<Cell> cells, double fraction) {
        Map<Integer, Cell> fastestByGpus = new TreeMap<>();
        for (Cell c : cells) {
            fastestByGpus.merge(c.totalGpus(), c,
                    (a, b) -> a.trainingSeconds().mean() <= b.trainingSeconds().mean() ? a : b);
        }
        List<Cell> ladder = new ArrayList<>(fastestByGpus.values());
        Double firstRate = null;
        for (int i = 1; i < ladder.size(); i++) {
            Cell prev = ladder.get(i - 1), cur = ladder.get(i);
            double savedHours = (prev.trainingSeconds().mean() - cur.trainingSeconds().mean()) / 3600.0;
            double extraDollars = cur.costUsd().mean() - prev.costUsd().mean();
            if (savedHours <= 0) {
                return prev.cellId();
            }
            if (extraDollars <= 0) {
                continue;
            }
            double rate = savedHours / extraDollars;
            if (firstRate == null) {
                firstRate = rate;
            } else if (rate < fraction * firstRate) {
                return prev.cellId();
            }
        }
        return ladder.isEmpty() ? null : ladder.get(ladder.size() - 1).cellId();
    }

    /** The cheapest cell that reaches {@code minF1} (if given) within {@code maxHours} (if given). */
    public Optional<Cell> cheapest(Double minF1, Double maxHours, Integer datasetSize) {
        return cells.stream().filter(c -> matches(c, minF1, maxHours, null, datasetSize))
                .min(Comparator.comparingDouble(c -> c.costUsd().mean()));
    }

    /** The fastest cell within {@code maxUsd} (if given) that reaches {@code minF1} (if given). */
    public Optional<Cell> fastest(Double maxUsd, Double minF1, Integer datasetSize) {
        return cells.stream().filter(c -> matches(c, minF1, null, maxUsd, datasetSize))
                .min(Comparator.comparingDouble(c -> c.trainingSeconds().mean()));
    }

    private static boolean matches(Cell c, Double minF1, Double maxHours, Double maxUsd, Integer datasetSize) {
        return (datasetSize == null || c.datasetSize() == datasetSize)
                && (minF1 == null || (c.f1() != null && c.f1().mean() >= minF1))
                && (maxHours == null || c.trainingSeconds().mean() <= maxHours * 3600)
                && (maxUsd == null || c.costUsd().mean() <= maxUsd);
    }

    /** No other cell is at least as fast, as cheap and as accurate, and strictly better in one of them. */
    static boolean paretoOptimal(Cell c, List<Cell> cells) {
        for (Cell o : cells) {
            if (o == c) {
                continue;
            }
            double oF1 = o.f1() == null ? Double.NEGATIVE_INFINITY : o.f1().mean();
            double cF1 = c.f1() == null ? Double.NEGATIVE_INFINITY : c.f1().mean();
            boolean noWorse = o.trainingSeconds().mean() <= c.trainingSeconds().mean()
                    && o.costUsd().mean() <= c.costUsd().mean() && oF1 >= cF1;
            boolean better = o.trainingSeconds().mean() < c.trainingSeconds().mean()
                    || o.costUsd().mean() < c.costUsd().mean() || oF1 > cF1;
            if (noWorse && better) {
                return false;
            }
        }
        return true;
    }
}
