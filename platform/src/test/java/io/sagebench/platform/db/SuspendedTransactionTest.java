package io.sagebench.platform.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;

import org.junit.jupiter.api.Test;

/** The caller's transaction is suspended for the work and resumed after it, also when the work fails. */
class SuspendedTransactionTest {

    private final List<String> calls = new ArrayList<>();
    private final Transaction callers = (Transaction) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {Transaction.class}, (proxy, method, args) -> method.getName().equals("toString") ? "tx" : null);
    private final TransactionManager transactions = (TransactionManager) Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {TransactionManager.class}, (proxy, method, args) -> {
                switch (method.getName()) {
                    case "suspend" -> {
                        calls.add("suspend");
                        return callers;
                    }
                    case "resume" -> {
                        calls.add("resume " + (args[0] == callers ? "the caller's" : "another"));
                        return null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                }
            });

    @Test
    void theWorkRunsBetweenSuspendAndResume() {
        String out = SuspendedTransaction.during(transactions, () -> {
            calls.add("work");
            return "acked";
        });
        assertEquals("acked", out);
        assertEquals(List.of("suspend", "work", "resume the caller's"), calls);
    }

    @Test
    void aFailingWorkStillResumesTheCallersTransaction() {
        IllegalStateException failed = new IllegalStateException("send failed");
        assertEquals(failed, assertThrows(IllegalStateException.class, () -> SuspendedTransaction.during(transactions,
                () -> {
                    calls.add("work");
                    throw failed;
                })));
        assertEquals(List.of("suspend", "work", "resume the caller's"), calls);
    }
}
