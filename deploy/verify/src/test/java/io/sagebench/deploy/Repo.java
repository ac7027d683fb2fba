package io.sagebench.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The repository checkout (the root pom passes -Dsagebench.root) and the external tools the checks run. */
final class Repo {

    static final List<String> SERVICES = List.of("design", "launcher", "monitor", "results");

    private Repo() {
    }

    static Path root() {
        String root = System.getProperty("sagebench.root");
        Path p = root == null || root.isBlank() ? Path.of("../..") : Path.of(root);
        p = p.toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(p.resolve("docs/architecture.md")), "not the repository root: " + p);
        return p;
    }

    static Path path(String relative) {
        return root().resolve(relative);
    }

    static String read(String relative) {
        try {
            return Files.readString(path(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + relative, e);
        }
    }

    static String projectVersion() {
        String v = System.getProperty("sagebench.version");
        return v == null || v.isBlank() ? "0.1.0-SNAPSHOT" : v;
    }

    /** Result of an external command. */
    record Run(int exitCode, String stdout, String stderr) {
    }

    /**
     * Runs a tool that CI must have installed. A missing tool fails the test (never skips it), naming the package.
     */
    static Run run(Path workDir, String installHint, String... command) {
        String tool = command[0];
        if (findOnPath(tool) == null) {
            // CI (CI=true, .ci/run installs the tools) must run every check; a fresh developer machine skips it, loudly.
            String message = tool + " is not installed, so this deployment check cannot run. Install it: " + installHint;
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message);
            }
            System.err.println("SKIPPED: " + message);
            org.junit.jupiter.api.Assumptions.abort(message);
        }
        try {
            Path out = Files.createTempFile("sagebench-verify", ".out");
            Path err = Files.createTempFile("sagebench-verify", ".err");
            Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(workDir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within 120 s");
            }
            Run r = new Run(p.exitValue(), Files.readString(out), Files.readString(err));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Path findOnPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
