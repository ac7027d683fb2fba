package io.sagebench.monitor.app;

import java.util.concurrent.CompletableFuture;

import io.sagebench.monitor.domain.JobStateChange;

/** Where accepted states go (bench.job-states, implemented in messaging). */
public interface JobStateSender {

    /**
     * Starts the send and returns at once; the future completes when Kafka acknowledged. Sends started one after the
     * other keep their order per job.
     */
    CompletableFuture<Void> send(JobStateChange change, String eventId, String traceparent);
}
