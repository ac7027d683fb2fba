package io.sagebench.design.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.sagebench.contracts.catalog.InstanceCatalog;
import io.sagebench.contracts.catalog.PriceBook;
import io.sagebench.contracts.ids.Ids;

/**
 * Turns a read design into a {@link Plan}: checks it against the catalog and price book (collecting every error with
 * its JSON path), expands and derives the runs ({@link RunDerivation}), orders them by the seeded shuffle, reuses
 * what earlier designs measured, quotes the rest and checks the budget. Pure and deterministic for a given catalog,
 * price book and date.
 */
public final class DesignPlanning {

    /**
     * Runs measured to completion before, by cell and replicate: {@code cellId#replicate} → the runId that measured
     * it. Asked once per plan with every cellId of the design.
     */
    @FunctionalInterface
    public interface CompletedRuns {
        CompletedRuns NONE = cellIds -> Map.of();

        Map<String, String> find(Set<String> cellIds);
    }

    /**
     * A design as read from its JSON: the design (null when it has structural errors), the clusters that could be
     * read (checked against the catalog either way), the errors so far, the region to price in, and the design's
     * derived id and canonical content (asked for only once the design is valid).
     */
    public record Input(Design design, List<Design.Cluster> readableClusters, List<ValidationError> errors,
                        String region, Supplier<String> derivedDesignId, Supplier<String> content) {
    }

    private final PriceBook priceBook;
    private final PlannerSettings settings;
    private final RunDerivation derivation;

    public DesignPlanning(InstanceCatalog catalog, PriceBook priceBook, PlannerSettings settings,
                          RunDerivation.CellHasher cells) {
        this.priceBook = priceBook;
        this.settings = settings;
        this.derivation = new RunDerivation(catalog, settings, cells);
    }

    public Plan plan(Input input, LocalDate quoteDate, CompletedRuns completedRuns) {
        Set<ValidationError> errors = new LinkedHashSet<>(input.errors());
        Optional<PriceBook.Version> prices = priceBook.versionOn(quoteDate);
        if (prices.isEmpty()) {
            errors.add(new ValidationError("$", "no price book version is in effect on " + quoteDate));
        }
        Map<String, RunDerivation.ResolvedCluster> resolved = new HashMap<>();
        for (Design.Cluster c : input.readableClusters()) {
            derivation.resolveCluster(c, input.region(), prices, errors).ifPresent(r -> resolved.put(c.path(), r));
        }
        Design design = input.design();
        if (design == null || !errors.isEmpty() && resolved.size() < input.readableClusters().size()) {
            return rejected(errors);
        }

        String designId = design.designId() != null ? design.designId() : input.derivedDesignId().get();
        long randomSeed = design.randomSeed() != null ? design.randomSeed() : Hashing.derivedRandomSeed(designId);

        long runCount = RunDerivation.countRuns(design);
        if (runCount > settings.maxRuns()) {
            errors.add(new ValidationError("$", "the design expands to " + runCount + " runs, more than the cap of "
                    + settings.maxRuns() + " (sagebench.design.max-runs)"));
            return rejected(errors);
        }

        List<PlannedRun> runs = new ArrayList<>();
        Map<String, Integer> replicatesByCell = new HashMap<>();
        for (RunDerivation.CellConfig cell : RunDerivation.expandCells(design, resolved)) {
            PlannedRun run = derivation.derive(design, designId, cell, prices.orElseThrow(), errors);
            if (run != null) {
                int replicate = replicatesByCell.merge(run.cellId(), 1, Integer::sum);
                runs.add(RunDerivation.withReplicate(run, replicate));
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
            ordered.add(RunDerivation.numbered(runs.get(i), Ids.runId(designId, i + 1), i + 1));
        }
        // Incremental designs: a cell replicate already measured to completion is reused, unless rerun is asked.
        Map<String, String> reusedFrom = new HashMap<>();
        if (!design.rerun()) {
            Map<String, String> completed = completedRuns.find(
                    ordered.stream().map(PlannedRun::cellId).collect(Collectors.toSet()));
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
        return quoted(design, designId, randomSeed, ordered, reusedFrom, prices.get(), input.content().get());
    }

    /** The quote of the runs to be run (reused ones excluded), and the plan, or the budget error. */
    private static Plan quoted(Design design, String designId, long randomSeed, List<PlannedRun> ordered,
                               Map<String, String> reusedFrom, PriceBook.Version prices, String content) {
        List<PlannedRun> toRun = ordered.stream().filter(r -> !reusedFrom.containsKey(r.runId())).toList();
        double totalUsd = round(toRun.stream().mapToDouble(r -> r.quote().usd()).sum(), 2);
        double totalSeconds = toRun.stream().mapToLong(r -> r.quote().seconds()).sum();
        double savedUsd = round(ordered.stream().filter(r -> reusedFrom.containsKey(r.runId()))
                .mapToDouble(r -> r.quote().usd()).sum(), 2);
        Plan.DesignQuote quote = new Plan.DesignQuote(totalUsd, totalSeconds, design.budgetUsd(),
                prices.version(), reusedFrom.size(), savedUsd);
        if (totalUsd > design.budgetUsd()) {
            double instanceHours = toRun.stream()
                    .mapToDouble(r -> r.quote().seconds() / 3600.0 * r.instanceCount()).sum();
            return new Plan(designId, content, design, randomSeed, List.of(), quote, Map.of(),
                    List.of(new ValidationError("$.budgetUsd", String.format(Locale.ROOT,
                            "the quote is %.2f USD for %d runs (%.1f instance-hours at price book %s), more than the "
                                    + "budget of %.2f USD", totalUsd, toRun.size(), instanceHours, prices.version(),
                            design.budgetUsd()), ValidationError.BUDGET)));
        }
        return new Plan(designId, content, design, randomSeed, List.copyOf(ordered), quote, Map.copyOf(reusedFrom),
                List.of());
    }

    private static Plan rejected(Set<ValidationError> errors) {
        return new Plan(null, null, null, 0, List.of(), null, Map.of(), List.copyOf(errors));
    }

    static double round(double value, int decimals) {
        return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).doubleValue();
    }
}
