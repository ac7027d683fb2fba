package io.sagebench.platform.db;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.interceptor.InterceptorBinding;

/**
 * On a bean whose {@code @Transactional} methods write what an incoming record means: a method that returns with its
 * transaction marked rollback-only throws {@link SilentRollbackException} instead of returning as if its work had
 * been committed. Why: when a connection dies under a transaction, the enlistment fails and the transaction is marked
 * rollback-only; Hibernate then answers {@code find} with null instead of throwing (HHH-12472), the method runs on,
 * and the transaction interceptor rolls back without a word. The record would be acknowledged and its effect lost.
 */
@InterceptorBinding
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface CommitOrThrow {
}
