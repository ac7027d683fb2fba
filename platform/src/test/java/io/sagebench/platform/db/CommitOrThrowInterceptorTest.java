package io.sagebench.platform.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

import jakarta.interceptor.InvocationContext;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionManager;

import org.junit.jupiter.api.Test;

/** The guard itself; DatabaseOutageIT (results-service) shows it on a real database whose connections are killed. */
class CommitOrThrowInterceptorTest {

    @Test
    void aMethodReturningWithItsTransactionMarkedRollbackOnlyThrows() throws Exception {
        CommitOrThrowInterceptor guard = guardWith(Status.STATUS_MARKED_ROLLBACK);
        SilentRollbackException e = assertThrows(SilentRollbackException.class,
                () -> guard.failIfRolledBack(call("recorded")));
        assertTrue(e.getMessage().startsWith("CommitOrThrowInterceptorTest.record returned with its transaction marked "
                + "rollback-only"), e.getMessage());
        assertTrue(TransientDatabaseFailures.isTransient(e), "retried like any lost connection");
    }

    @Test
    void anActiveTransactionOrNoneLetsTheResultThrough() throws Exception {
        assertEquals("recorded", guardWith(Status.STATUS_ACTIVE).failIfRolledBack(call("recorded")));
        assertEquals("recorded", guardWith(Status.STATUS_NO_TRANSACTION).failIfRolledBack(call("recorded")));
    }

    @SuppressWarnings("unused")
    private String record() {
        return "recorded";
    }

    private static CommitOrThrowInterceptor guardWith(int status) {
        CommitOrThrowInterceptor guard = new CommitOrThrowInterceptor();
        guard.transactions = (TransactionManager) Proxy.newProxyInstance(CommitOrThrowInterceptorTest.class.getClassLoader(),
                new Class<?>[] {TransactionManager.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getStatus")) {
                        return status;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return guard;
    }

    private static InvocationContext call(Object result) throws NoSuchMethodException {
        Method method = CommitOrThrowInterceptorTest.class.getDeclaredMethod("record");
        return (InvocationContext) Proxy.newProxyInstance(CommitOrThrowInterceptorTest.class.getClassLoader(),
                new Class<?>[] {InvocationContext.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "proceed" -> result;
                    case "getMethod" -> method;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }
}
