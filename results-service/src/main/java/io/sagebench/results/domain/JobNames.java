package io.sagebench.results.domain;

/** Training job names are deterministic: bench-&lt;runId&gt;-a&lt;attempt&gt; (docs/architecture.md). */
public final class JobNames {
    private JobNames() {
    }

    public static String of(String runId, int attempt) {
        return "bench-" + runId + "-a" + attempt;
    }
}
