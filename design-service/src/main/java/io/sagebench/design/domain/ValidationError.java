package io.sagebench.design.domain;

/**
 * One problem with a design: the JSON path of the offending value, what is wrong with it, and the rule it breaks
 * ({@code validation} for the ordinary checks, {@code budget}, or one of docs/security.md's rules such as
 * {@code reserved-hyperparameter}).
 */
public record ValidationError(String path, String message, String rule) {

    public static final String VALIDATION = "validation";
    public static final String BUDGET = "budget";
    public static final String CONFLICT = "conflict";

    public ValidationError(String path, String message) {
        this(path, message, VALIDATION);
    }
}
