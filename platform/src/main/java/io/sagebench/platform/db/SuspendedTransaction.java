package io.sagebench.platform.db;

import java.util.function.Supplier;

import jakarta.transaction.InvalidTransactionException;
import jakarta.transaction.SystemException;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;

/**
 * Work done with the caller's transaction suspended (its locks still held) and resumed after, whatever the outcome.
 * Every outbox relay sends and awaits Kafka's acks this way: context propagation would otherwise carry the
 * transaction to the producer's callback thread, and a commit with that thread still inside it fails after the
 * records were sent, so they would be sent again.
 */
public final class SuspendedTransaction {

    private SuspendedTransaction() {
    }

    public static <T> T during(TransactionManager transactions, Supplier<T> work) {
        Transaction suspended;
        try {
            suspended = transactions.suspend();
        } catch (SystemException e) {
            throw new IllegalStateException("cannot suspend the transaction", e);
        }
        try {
            return work.get();
        } finally {
            try {
                transactions.resume(suspended);
            } catch (InvalidTransactionException | SystemException e) {
                throw new IllegalStateException("cannot resume the transaction", e);
            }
        }
    }
}
