package io.sagebench.results.client;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code sagebench.aws.calls} (one sample per SDK call, its retries included, by operation and outcome) and
 * {@code sagebench.aws.retries} (attempts after the first), registered on every AWS client this service builds.
 */
@ApplicationScoped
public class AwsCallMetrics implements ExecutionInterceptor {

    private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("sagebench.started");
    private static final ExecutionAttribute<Integer> ATTEMPTS = new ExecutionAttribute<>("sagebench.attempts");
    private static final Set<String> QUOTA_CODES = Set.of("ResourceLimitExceeded", "ServiceQuotaExceededException",
            "LimitExceededException");

    @Inject
    MeterRegistry registry;

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        attributes.putAttribute(STARTED, System.nanoTime());
        attributes.putAttribute(ATTEMPTS, 0);
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        int attempt = attributes.getAttribute(ATTEMPTS) + 1;
        attributes.putAttribute(ATTEMPTS, attempt);
        if (attempt > 1) {
            registry.counter("sagebench.aws.retries", "operation", operation(attributes)).increment();
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        record(attributes, "success");
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        record(attributes, outcome(context.exception()));
    }

    /** {@code throttled}, {@code quota}, {@code client-error} (4xx) or {@code server-error} (5xx, or no answer). */
    static String outcome(Throwable failure) {
        if (failure instanceof AwsServiceException e) {
            if (e.isThrottlingException()) {
                return "throttled";
            }
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            if (code != null && QUOTA_CODES.contains(code)) {
                return "quota";
            }
            return e.statusCode() >= 400 && e.statusCode() < 500 ? "client-error" : "server-error";
        }
        return "server-error";
    }

    private void record(ExecutionAttributes attributes, String outcome) {
        Long started = attributes.getAttribute(STARTED);
        if (started == null) {
            return;
        }
        Timer.builder("sagebench.aws.calls").tag("operation", operation(attributes)).tag("outcome", outcome)
                .register(registry).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    private static String operation(ExecutionAttributes attributes) {
        String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        return op == null ? "unknown" : op;
    }
}
