package io.sagebench.monitor.health;

import io.sagebench.monitor.config.MonitorConfig;
import io.sagebench.monitor.app.SqsEventPoller;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;
import java.time.Instant;

/** Ready when the last long poll of the events queue succeeded recently (Kafka's channels report on their own). */
@Readiness
@ApplicationScoped
public class QueueReadinessCheck implements HealthCheck {

    private final SqsEventPoller poller;
    private final MonitorConfig config;

    public QueueReadinessCheck(SqsEventPoller poller, MonitorConfig config) {
        this.poller = poller;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("sqs-events-queue")
                .withData("queueUrl", config.queueUrl());
        if (!poller.enabled()) {
            return response.up().withData("poller", "disabled").build();
        }
        Instant last = poller.lastReceiveOk();
        // A healthy long poll returns at least every wait time; allow for one batch of work on top.
        Duration freshness = config.waitTime().multipliedBy(2).plus(config.visibilityTimeout());
        boolean fresh = last != null && last.isAfter(Instant.now().minus(freshness));
        if (last != null) {
            response.withData("lastReceive", last.toString());
        }
        if (poller.lastError() != null) {
            response.withData("lastError", poller.lastError());
        }
        return response.status(fresh && poller.lastError() == null).build();
    }
}
