package io.sagebench.results.domain;

/** The price book has no price for the run's region and instance type at the time it ended. */
public class UnpricedRunException extends RuntimeException {
    public UnpricedRunException(String message) {
        super(message);
    }
}
