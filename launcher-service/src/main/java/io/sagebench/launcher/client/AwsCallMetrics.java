package io.sagebench.launcher.client;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * {@code sagebench.aws.calls{operation,outcome}} (one sample per SDK call, its retries included) and
 * {@code sagebench.aws.retries{operation}} (attempts after the first), registered on every AWS client the launcher
 * builds (docs/operations.md, Metrics).
 */
@ApplicationScoped
public class AwsCallMetrics implements ExecutionInterceptor {
    static final String CALLS = "sagebench.aws.calls";
    static final String RETRIES = "sagebench.aws.retries";
    private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("sagebench.call-started");
    private static final ExecutionAttribute<Integer> ATTEMPTS = new ExecutionAttribute<>("sagebench.call-attempts");

    @Inject
    MeterRegistry registry;

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        attributes.putAttribute(STARTED, System.nanoTime());
        attributes.putAttribute(ATTEMPTS, 0);
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        int attempt = attributes.getAttribute(ATTEMPTS) == null ? 1 : attributes.getAttribute(ATTEMPTS) + 1;
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

    /** success, throttled, quota, client-error or server-error (network trouble counts as server-error). */
    static String outcome(Throwable e) {
        if (e instanceof AwsServiceException service) {
            if (service.isThrottlingException()) {
                return "throttled";
            }
            String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
            if ("ResourceLimitExceeded".equals(code)) {
                return "quota";
            }
            return service.statusCode() >= 400 && service.statusCode() < 500 ? "client-error" : "server-error";
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
                .register(registry).record(Duration.ofNanos(System.nanoTime() - started));
    }

    private static String operation(ExecutionAttributes attributes) {
        String name = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        return name == null ? "unknown" : name;
    }
}
