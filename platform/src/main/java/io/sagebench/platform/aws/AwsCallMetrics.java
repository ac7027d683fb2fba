package io.sagebench.platform.aws;

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
 * {@code sagebench.aws.calls{operation,outcome}} (one sample per SDK call, its retries included) and
 * {@code sagebench.aws.retries{operation}} (attempts after the first), as an SDK interceptor every service registers on
 * every AWS client it builds (docs/operations.md, Metrics). An operation's retry counter exists, at zero, from its
 * first call on, so dashboards and alerts see a series before the first retry.
 */
@ApplicationScoped
public class AwsCallMetrics implements ExecutionInterceptor {

    public static final String CALLS = "sagebench.aws.calls";
    public static final String RETRIES = "sagebench.aws.retries";

    private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("sagebench.call-started");
    private static final ExecutionAttribute<Integer> ATTEMPTS = new ExecutionAttribute<>("sagebench.call-attempts");
    /** Error codes that mean an account limit, not a bad request (SageMaker, Service Quotas, SQS). */
    private static final Set<String> QUOTA_CODES = Set.of("ResourceLimitExceeded", "ServiceQuotaExceededException",
            "LimitExceededException", "OverLimit");

    private final MeterRegistry registry;

    @Inject
    public AwsCallMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        attributes.putAttribute(STARTED, System.nanoTime());
        attributes.putAttribute(ATTEMPTS, 0);
        registry.counter(RETRIES, "operation", operation(attributes));
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        Integer before = attributes.getAttribute(ATTEMPTS);
        int attempt = before == null ? 1 : before + 1;
        attributes.putAttribute(ATTEMPTS, attempt);
        if (attempt > 1) {
            registry.counter(RETRIES, "operation", operation(attributes)).increment();
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
    public static String outcome(Throwable failure) {
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
        Timer.builder(CALLS).tag("operation", operation(attributes)).tag("outcome", outcome)
                .description("AWS SDK call latency, retries included")
                .register(registry).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    private static String operation(ExecutionAttributes attributes) {
        String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        return op == null ? "unknown" : op;
    }
}
