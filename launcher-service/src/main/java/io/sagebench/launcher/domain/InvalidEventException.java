package io.sagebench.launcher.domain;

import java.util.List;

/** An incoming event that cannot be processed; carries every problem found, not just the first. */
public class InvalidEventException extends RuntimeException {
    private final List<String> problems;
    private final String runId;
    private final String designId;

    public InvalidEventException(List<String> problems, String runId, String designId) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
        this.runId = runId;
        this.designId = designId;
    }

    public List<String> problems() {
        return problems;
    }

    /** The run id if the event had a usable one, else null (then no rejection event can be keyed). */
    public String runId() {
        return runId;
    }

    public String designId() {
        return designId;
    }
}
