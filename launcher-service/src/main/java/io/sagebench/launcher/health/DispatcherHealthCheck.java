package io.sagebench.launcher.health;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import io.sagebench.launcher.app.LaunchDispatcher;

/**
 * Live while the dispatcher keeps ticking. A tick can legitimately take a while (it keeps launching at the account
 * rate while runs are due), so only a dispatcher silent for much longer than any call timeout is reported down.
 */
@Liveness
@ApplicationScoped
public class DispatcherHealthCheck implements HealthCheck {
    static final Duration STALE = Duration.ofMinutes(5);

    @Inject
    LaunchDispatcher dispatcher;

    @Override
    public HealthCheckResponse call() {
        Instant last = dispatcher.lastTickStarted();
        boolean up = last == null || Duration.between(last, Instant.now()).compareTo(STALE) < 0;
        return HealthCheckResponse.named("launch-dispatcher").status(up)
                .withData("lastTickStarted", last == null ? "not yet" : last.toString())
                .withData("launchesThisProcess", dispatcher.launchCount())
                .build();
    }
}
