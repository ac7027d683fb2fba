package io.sagebench.monitor.domain;

/** A queue message that cannot be read as a training job state change; its message says why (the dead-letter reason). */
public class UnparseableEventException extends RuntimeException {

    public UnparseableEventException(String reason) {
        super(reason);
    }

    public UnparseableEventException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
