package io.sagebench.launcher.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.sagebench.launcher.client.TrainingJobRequestFactory;

/**
 * The training entry point compiles, and the MetricDefinitions the launcher sends find the values in the exact lines
 * the script prints (its own formatter, run by python3).
 */
class TrainScriptTest {
    private static final Path SCRIPT = Path.of("src/main/resources/training/train.py");
    private static boolean python;

    @BeforeAll
    static void findPython() {
        try {
            python = new ProcessBuilder("python3", "--version").start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            python = false;
        }
    }

    private static String run(String... args) throws Exception {
        var pb = new ProcessBuilder(args).redirectErrorStream(true);
        pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "python3 timed out");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void scriptCompiles() throws Exception {
        assumeTrue(python, "python3 not installed");
        assertTrue(Files.exists(SCRIPT));
        Path target = Files.createTempFile("train", ".pyc");
        run("python3", "-c", "import py_compile,sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)",
                SCRIPT.toString(), target.toString());
        Files.deleteIfExists(target);
    }

    @Test
    void everyMetricDefinitionMatchesWhatTheScriptPrints() throws Exception {
        assumeTrue(python, "python3 not installed");
        String out = run("python3", SCRIPT.toString(), "--print-sample-metrics");
        Map<String, Double> expected = Map.of("eval_f1_score", 0.9312, "eval_loss", 0.2311,
                "train_runtime", 3301.2518, "train_samples_per_second", 817.8671, "loss", 0.6931);
        assertEquals(expected.keySet(), java.util.Set.copyOf(TrainingJobRequestFactory.METRIC_NAMES));
        for (String name : TrainingJobRequestFactory.METRIC_NAMES) {
            var m = Pattern.compile(TrainingJobRequestFactory.metricRegex(name)).matcher(out);
            assertTrue(m.find(), name + " not found in:\n" + out);
            assertEquals(expected.get(name), Double.parseDouble(m.group(1)), 1e-9, name);
        }
        assertTrue(out.contains("'learning_rate': 5e-05"), "small values must not be rounded away:\n" + out);
    }
}
