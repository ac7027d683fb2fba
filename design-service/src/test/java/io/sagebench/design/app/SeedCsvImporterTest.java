package io.sagebench.design.app;

import io.sagebench.design.domain.*;

import io.sagebench.contracts.catalog.InstanceCatalog;
import io.sagebench.contracts.catalog.PriceBook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The seed's CSVs (copied verbatim from the study into src/test/resources/seed) import into the study's runs. */
class SeedCsvImporterTest {

    static final DesignPlanner PLANNER = new DesignPlanner(InstanceCatalog.fromClasspath(), PriceBook.fromClasspath(),
            PlannerSettings.defaults());
    static final SeedCsvImporter.Options DEFAULTS = new SeedCsvImporter.Options(null, null, null, null, null, null);

    static String resource(String name) throws IOException {
        try (InputStream in = SeedCsvImporterTest.class.getResourceAsStream("/seed/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void rawDesignDecodesNumNodesAndKeepsTheStudysOrder() throws IOException {
        String csv = resource("experimental_design.csv");
        Plan plan = PLANNER.plan(SeedCsvImporter.toDesign(csv, DEFAULTS), LocalDate.of(2026, 11, 27));
        assertTrue(plan.valid(), plan.errors()::toString);
        assertEquals(15, plan.runs().size());
        List<String> rows = csv.lines().skip(1).toList();
        for (int i = 0; i < rows.size(); i++) {
            String[] row = rows.get(i).split(",", -1);
            PlannedRun run = plan.runs().get(i);
            int nodes = Integer.parseInt(row[0]);
            assertEquals(Long.parseLong(row[1]), run.datasetSize());
            assertEquals(nodes == 1 ? "ml.p3.2xlarge" : "ml.p3.16xlarge", run.instanceType());
            assertEquals(nodes, run.instanceCount());
            assertEquals(nodes == 1 ? 1 : 8 * nodes, run.totalGpus());
            assertEquals(nodes == 1 ? "none" : "smdistributed", run.distribution());
            assertEquals(nodes == 1 ? 84_375 : nodes == 2 ? 5273 : 2637, run.steps());
        }
    }

    @Test
    void runTableReproducesTheStudysDerivedColumns() throws IOException {
        String csv = resource("seed_runs_design.csv");
        Plan plan = PLANNER.plan(SeedCsvImporter.toDesign(csv,
                new SeedCsvImporter.Options("seed-25", null, 5000.0, null, null, null)), LocalDate.of(2026, 11, 27));
        assertTrue(plan.valid(), plan.errors()::toString);
        assertEquals(25, plan.runs().size());
        List<String> header = Arrays.asList(csv.lines().findFirst().orElseThrow().split(","));
        List<String> rows = csv.lines().skip(1).toList();
        for (int i = 0; i < rows.size(); i++) {
            String[] row = rows.get(i).split(",", -1);
            PlannedRun run = plan.runs().get(i);
            String where = "seed run " + row[0];
            assertEquals(row[header.indexOf("instance_type")], run.instanceType(), where);
            assertEquals(Integer.parseInt(row[header.indexOf("num_gpus")]), run.totalGpus(), where);
            assertEquals(Integer.parseInt(row[header.indexOf("global_batch_size")]), run.globalBatchSize(), where);
            assertEquals(Boolean.parseBoolean(row[header.indexOf("parallel_enabled")].toLowerCase()),
                    run.distribution().equals("smdistributed"), where);
            assertEquals(Double.parseDouble(row[header.indexOf("epochs")]), run.epochs(), 1e-9, where);
            assertEquals(Double.parseDouble(row[header.indexOf("learning_rate")]), run.learningRate(), 1e-12, where);
            assertEquals(Double.parseDouble(row[header.indexOf("hourly_price")]), run.quote().hourlyPriceUsd(), where);
            long seedSteps = (long) Double.parseDouble(row[header.indexOf("num_steps")]);
            if (row[0].equals("16")) {
                // The study halved the batch after a CUDA OOM but kept the batch-32 step count; the rule gives 21,094.
                assertEquals(2_700_000 / 128.0, run.steps(), 0.5, where);
            } else {
                assertEquals(seedSteps, run.steps(), where);
            }
            // The study's 30 GB volumes on multi-node runs caused its ArchiveError; ours always fit the data.
            assertTrue(run.volumeSizeGb() >= TrainingModel.volumeSizeGb(run.model(), run.datasetSize()), where);
        }
    }

    @Test
    void unknownFormatAndBadCodesAreErrors() {
        assertThrows(SeedCsvImporter.ImportException.class, () -> SeedCsvImporter.toDesign("a,b\n1,2\n", DEFAULTS));
        SeedCsvImporter.ImportException e = assertThrows(SeedCsvImporter.ImportException.class,
                () -> SeedCsvImporter.toDesign("num_nodes,dataset_size\n3,1000\nx,y\n", DEFAULTS));
        assertEquals(List.of("csv line 2, num_nodes", "csv line 3"), e.errors().stream().map(ValidationError::path).toList());
    }
}
