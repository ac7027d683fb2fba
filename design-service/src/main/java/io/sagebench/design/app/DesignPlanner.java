package io.sagebench.design.app;

import java.time.LocalDate;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sagebench.contracts.catalog.InstanceCatalog;
import io.sagebench.contracts.catalog.PriceBook;
import io.sagebench.design.domain.Design;
import io.sagebench.design.domain.DesignPlanning;
import io.sagebench.design.domain.Plan;
import io.sagebench.design.domain.PlannerSettings;

/**
 * Plans a design's JSON: {@link DesignParser} reads it (every structural error with its JSON path), then the domain's
 * {@link DesignPlanning} checks, expands, derives, orders and quotes it. The design's id and cell ids hash its
 * canonical JSON ({@link Canonical}).
 */
public final class DesignPlanner {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Runs measured to completion before, by cell and replicate (see {@link DesignPlanning.CompletedRuns}). */
    @FunctionalInterface
    public interface CompletedRuns extends DesignPlanning.CompletedRuns {
    }

    private final PlannerSettings settings;
    private final DesignPlanning planning;

    public DesignPlanner(InstanceCatalog catalog, PriceBook priceBook, PlannerSettings settings) {
        this.settings = settings;
        this.planning = new DesignPlanning(catalog, priceBook, settings, DesignPlanner::cellId);
    }

    public Plan plan(JsonNode root, LocalDate quoteDate) {
        return plan(root, quoteDate, DesignPlanning.CompletedRuns.NONE);
    }

    public Plan plan(JsonNode root, LocalDate quoteDate, DesignPlanning.CompletedRuns completedRuns) {
        DesignParser.Result parsed = DesignParser.parse(root, settings.defaultRegion());
        String region = parsed.design() != null ? parsed.design().region()
                : Optional.ofNullable(root).map(r -> r.path("region").asText(null)).orElse(settings.defaultRegion());
        return planning.plan(new DesignPlanning.Input(parsed.design(), parsed.readableClusters(), parsed.errors(),
                region, () -> Canonical.derivedDesignId(root), () -> Canonical.designContent(root)), quoteDate,
                completedRuns);
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
}
