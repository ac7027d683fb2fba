package io.sagebench.design.messaging;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Set when the service starts shutting down: a record failing from then on is left for redelivery, not judged. */
@ApplicationScoped
public class ShutdownSignal {

    private volatile boolean shuttingDown;

    void onShutdown(@Observes ShutdownEvent event) {
        shuttingDown = true;
    }

    public boolean shuttingDown() {
        return shuttingDown;
    }
}
