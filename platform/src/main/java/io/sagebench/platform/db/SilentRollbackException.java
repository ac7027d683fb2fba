package io.sagebench.platform.db;

/**
 * A transactional method returned although its transaction had been marked rollback-only by a failed database call
 * (see {@link CommitOrThrow}): nothing it wrote is committed. Transient: the work is retried in a new transaction.
 */
public class SilentRollbackException extends RuntimeException {
    public SilentRollbackException(String method) {
        super(method + " returned with its transaction marked rollback-only by a failed database call; "
                + "nothing it wrote was committed");
    }
}
