package io.sagebench.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The main job, end to end: post a design to design-service, follow its progress in results-service, and print one
 * priced line per run. Everything goes through the services' public REST APIs, as a user's own client would.
 */
public final class Demo {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final StackConfig config;
    private final PrintStream out;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** {@code token}: a designer's bearer token from the stack's local issuer (the services run with security on). */
    public Demo(StackConfig config, PrintStream out, String token) {
        this.config = config;
        this.out = out;
        this.token = token;
    }

    private HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token);
    }

    /** Outcome of a demo run: the results as the results-service returned them, and what was wrong, if anything. */
    public record Outcome(String designId, JsonNode results, List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /** Posts the design (with a fresh designId so the demo can run again), waits for every run, checks and prints. */
    public Outcome run(Path designFile, Duration timeout) throws IOException, InterruptedException {
        ObjectNode design = (ObjectNode) JSON.readTree(Files.readString(designFile));
        String designId = design.path("designId").asText("demo") + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        design.put("designId", designId);
        // The demo exists to run the study: measure again even if an earlier demo already measured the same cells.
        design.put("rerun", true);

        out.println();
        out.println("posting design " + designId + " (" + design.path("name").asText() + ") to " + config.serviceUrl("design") + "/designs");
        HttpResponse<String> posted = http.send(request(URI.create(config.serviceUrl("design") + "/designs"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(design))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (posted.statusCode() / 100 != 2) {
            return new Outcome(designId, null, List.of("design-service refused the design: HTTP " + posted.statusCode() + " " + posted.body()));
        }
        JsonNode accepted = JSON.readTree(posted.body());
        int runCount = accepted.path("runCount").asInt();
        out.printf("accepted: %d runs, quoted %.2f USD for about %s of cluster time (budget %.2f USD)%n", runCount,
                accepted.path("quote").path("totalUsd").asDouble(), hours(accepted.path("quote").path("totalSeconds").asDouble()),
                accepted.path("quote").path("budgetUsd").asDouble(design.path("budgetUsd").asDouble()));

        JsonNode progress = waitForCompletion(designId, runCount, timeout);
        if (progress == null) {
            return new Outcome(designId, null, List.of("the design did not finish within " + timeout.toSeconds() + " s"));
        }
        HttpResponse<String> r = http.send(request(URI.create(config.serviceUrl("results") + "/designs/" + designId + "/results"))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            return new Outcome(designId, null, List.of("results-service answered HTTP " + r.statusCode() + ": " + r.body()));
        }
        JsonNode results = JSON.readTree(r.body());
        List<String> problems = check(results, runCount);
        print(designId, results);
        printAnalysis(designId);
        return new Outcome(designId, results, problems);
    }

    private JsonNode waitForCompletion(String designId, int runCount, Duration timeout) throws IOException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        String last = "";
        URI uri = URI.create(config.serviceUrl("results") + "/designs/" + designId + "/progress");
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(request(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                JsonNode p = JSON.readTree(r.body());
                String line = String.format("planned %d · launched %d · running %d · finished %d · failed %d  (of %d)",
                        p.path("planned").asInt(), p.path("launched").asInt(), p.path("running").asInt(),
                        p.path("finished").asInt(), p.path("failed").asInt() + p.path("stopped").asInt(), runCount);
                if (!line.equals(last)) {
                    out.printf("[%4ds] %s%n", (System.nanoTime() - start) / 1_000_000_000L, line);
                    last = line;
                }
                if (p.path("completed").asBoolean(false)) {
                    return p;
                }
            }
            Thread.sleep(1000);
        }
        return null;
    }

    /**
     * What a user would check by hand: every run finished, and each cost is billable/3600 × price × count. A run that
     * took several attempts (a platform failure relaunched) also pays for its failed attempts: its billableSeconds is
     * the final attempt's, and costUsd = billable/3600 × price × count + failedAttemptsCostUsd, where
     * failedAttemptsCostUsd = failedAttemptsBillableSeconds/3600 × price × count.
     */
    static List<String> check(JsonNode results, int runCount) {
        List<String> problems = new ArrayList<>();
        if (results.size() != runCount) {
            problems.add("expected " + runCount + " results, got " + results.size());
        }
        for (JsonNode run : results) {
            String id = run.path("runId").asText();
            if (!"Completed".equals(run.path("status").asText())) {
                problems.add(id + " ended " + run.path("status").asText() + ": " + run.path("failureReason").asText(""));
            }
            double hourlyTimesCount = run.path("hourlyPriceUsd").asDouble() * run.path("cluster").path("instanceCount").asInt();
            double failedCost = run.path("failedAttemptsCostUsd").asDouble(0);
            double expected = run.path("billableSeconds").asDouble() / 3600.0 * hourlyTimesCount + failedCost;
            if (Math.abs(expected - run.path("costUsd").asDouble()) > 0.005) {
                problems.add(id + " cost " + run.path("costUsd").asDouble() + " USD, but billable/3600 × price × count"
                        + (failedCost > 0 ? " + failed attempts' " + failedCost : "") + " = " + expected);
            }
            double expectedFailed = run.path("failedAttemptsBillableSeconds").asDouble(0) / 3600.0 * hourlyTimesCount;
            if (Math.abs(expectedFailed - failedCost) > 0.005) {
                problems.add(id + " failed attempts cost " + failedCost + " USD, but their billable/3600 × price × count = "
                        + expectedFailed);
            }
        }
        return problems;
    }

    private void print(String designId, JsonNode results) {
        out.println();
        out.println("design " + designId + ":");
        out.printf("%-5s %-28s %9s  %-9s %10s %10s %10s %7s%n", "run", "cluster", "data", "status", "train s", "billable s", "cost USD", "F1");
        double total = 0;
        for (JsonNode run : results) {
            JsonNode c = run.path("cluster");
            String cluster = String.format("%d x %s (%d GPU%s)", c.path("instanceCount").asInt(), c.path("instanceType").asText(),
                    c.path("totalGpus").asInt(), c.path("totalGpus").asInt() == 1 ? "" : "s");
            JsonNode f1 = run.path("f1");
            String runId = run.path("runId").asText();
            out.printf("%-5s %-28s %9d  %-9s %10d %10d %10.2f %7s%n", runId.substring(runId.lastIndexOf('-') + 1), cluster,
                    run.path("datasetSize").asLong(), run.path("status").asText(), run.path("trainingSeconds").asLong(),
                    run.path("billableSeconds").asLong(), run.path("costUsd").asDouble(),
                    f1.isNumber() ? String.format("%.4f", f1.asDouble()) : "-");
            total += run.path("costUsd").asDouble();
        }
        out.printf("%n%d runs, %.2f USD in all (priced with %s)%n", results.size(), total,
                results.size() > 0 ? results.get(0).path("priceBookVersion").asText() : "-");
    }

    /** The answers the study asked for, per data size, from results-service's analysis (replicates averaged). */
    private void printAnalysis(String designId) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request(URI.create(config.serviceUrl("results") + "/designs/" + designId + "/analysis"))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            out.println("(no analysis: HTTP " + r.statusCode() + ")");
            return;
        }
        JsonNode analysis = JSON.readTree(r.body());
        out.println();
        out.println("what more GPUs buy (means over replicates; speedup and efficiency against the smallest cluster of each data size):");
        out.printf("%9s  %-28s %4s %9s %8s %10s %9s %7s%n", "data", "cluster", "runs", "hours", "speedup", "efficiency", "cost USD", "F1");
        java.util.List<JsonNode> cells = new ArrayList<>();
        analysis.path("cells").forEach(cells::add);
        cells.sort(java.util.Comparator.comparingInt((JsonNode c) -> c.path("datasetSize").asInt())
                .thenComparingInt(c -> c.path("totalGpus").asInt()));
        for (JsonNode c : cells) {
            out.printf("%9d  %-28s %4d %9.2f %8s %10s %9.2f %7.4f%s%n", c.path("datasetSize").asInt(),
                    String.format("%d x %s (%d GPU%s)", c.path("instanceCount").asInt(), c.path("instanceType").asText(),
                            c.path("totalGpus").asInt(), c.path("totalGpus").asInt() == 1 ? "" : "s"),
                    c.path("replicates").asInt(), c.path("trainingSeconds").path("mean").asDouble() / 3600.0,
                    ratio(c.path("speedup")), percent(c.path("scalingEfficiency")),
                    c.path("costUsd").path("mean").asDouble(), c.path("f1").path("mean").asDouble(),
                    c.path("paretoOptimal").asBoolean() ? "  (Pareto: time vs cost)" : "");
        }
        out.println("full analysis: " + config.serviceUrl("results") + "/designs/" + designId + "/analysis");
        // the token rides in the fragment, which the browser never sends; the page keeps it in sessionStorage
        out.println("dashboard:     " + config.serviceUrl("results") + "/?design=" + designId + "#token=" + token);
        out.println("               (kept up by: deploy/local/sagebench demo --keep; the token is the demo's, valid a day)");
    }

    private static String ratio(JsonNode n) {
        return n.isNumber() ? String.format("%.1fx", n.asDouble()) : "-";
    }

    private static String percent(JsonNode n) {
        return n.isNumber() ? String.format("%.0f%%", n.asDouble() * 100) : "-";
    }

    private static String hours(double seconds) {
        return String.format("%.1f h", seconds / 3600.0);
    }
}
