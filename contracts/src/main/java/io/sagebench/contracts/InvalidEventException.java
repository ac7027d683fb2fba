package io.sagebench.contracts;

import java.util.List;
import java.util.stream.Collectors;

/**
 * An event payload that does not fit its contract, with every problem found in it, so one dead letter or log line
 * shows all that is wrong instead of the first thing.
 */
public class InvalidEventException extends RuntimeException {

    /** One problem: a JSON path into the payload ({@code $} for the whole of it, e.g. {@code $.runs[2].instanceCount}). */
    public record Problem(String path, String message) {

        @Override
        public String toString() {
            return path + ": " + message;
        }
    }

    private final EventType type;
    private final List<Problem> problems;

    public InvalidEventException(EventType type, List<Problem> problems) {
        super(type + " does not match " + type.schemaFileName() + ": "
                + problems.stream().map(Problem::toString).collect(Collectors.joining("; ")));
        this.type = type;
        this.problems = List.copyOf(problems);
    }

    public EventType type() {
        return type;
    }

    public List<Problem> problems() {
        return problems;
    }
}
