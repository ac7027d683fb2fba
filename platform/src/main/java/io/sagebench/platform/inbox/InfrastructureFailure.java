package io.sagebench.platform.inbox;

/**
 * A record could not be processed because of the service's own infrastructure (its database away past the retry
 * budget, the service shutting down), not because of the record. {@link TriageFailureHandler} leaves such a record
 * unacknowledged (the channel stops, Kafka redelivers it after the restart) instead of dead-lettering it.
 */
public class InfrastructureFailure extends RuntimeException {

    public InfrastructureFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether this failure, or one it was wrapped in on the way to the connector, is an infrastructure failure. */
    public static boolean in(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InfrastructureFailure) {
                return true;
            }
        }
        return false;
    }
}
