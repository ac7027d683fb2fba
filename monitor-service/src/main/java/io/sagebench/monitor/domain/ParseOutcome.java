package io.sagebench.monitor.domain;

/** The result of reading one queue message that was valid JSON in the expected shape. */
public sealed interface ParseOutcome {

    /** A state change of one of our jobs. */
    record Ours(TrainingJobEvent event) implements ParseOutcome {
    }

    /** A well-formed event that is not ours to handle (other source, detail type, account, job prefix or status). */
    record Foreign(String reason) implements ParseOutcome {
    }
}
