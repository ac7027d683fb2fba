package io.sagebench.contracts.ids;

import java.util.Optional;

/** One attempt of a run: what a training job name stands for. */
public record RunAttempt(String runId, int attempt) {

    public RunAttempt {
        if (!Ids.isRunId(runId)) {
            throw new IllegalArgumentException("not a run id: '" + runId + "'");
        }
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts start at 1, got " + attempt);
        }
    }

    /** The design of the run, when the run id has the usual {@code <designId>-r<NNN>} shape. */
    public Optional<String> designId() {
        return Ids.designIdOf(runId);
    }

    /** This attempt's training job name with the default prefix. */
    public String jobName() {
        return JobNames.of(runId, attempt);
    }

    public String jobName(String prefix) {
        return JobNames.of(prefix, runId, attempt);
    }
}
