package io.sagebench.platform.db;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionManager;

/**
 * See {@link CommitOrThrow}. Runs inside the transaction (its priority is after the {@code @Transactional}
 * interceptor's, PLATFORM_BEFORE + 200), so the exception it throws makes that interceptor roll back and rethrow.
 */
@CommitOrThrow
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 300)
public class CommitOrThrowInterceptor {

    @Inject
    TransactionManager transactions;

    @AroundInvoke
    Object failIfRolledBack(InvocationContext call) throws Exception {
        Object result = call.proceed();
        if (transactions.getStatus() == Status.STATUS_MARKED_ROLLBACK) {
            throw new SilentRollbackException(call.getMethod().getDeclaringClass().getSimpleName() + "."
                    + call.getMethod().getName());
        }
        return result;
    }
}
