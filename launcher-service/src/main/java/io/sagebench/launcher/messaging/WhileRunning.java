package io.sagebench.launcher.messaging;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;

/**
 * Skips scheduled work before the application has started (the scheduler fires before Reactive Messaging has
 * connected its emitters) and after shutdown began (the datasource is closing).
 */
@Singleton
public class WhileRunning implements Scheduled.SkipPredicate {
    private volatile boolean running;

    void started(@Observes StartupEvent event) {
        running = true;
    }

    void stopping(@Observes ShutdownEvent event) {
        running = false;
    }

    @Override
    public boolean test(ScheduledExecution execution) {
        return !running;
    }
}
