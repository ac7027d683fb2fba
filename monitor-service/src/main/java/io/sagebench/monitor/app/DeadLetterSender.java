package io.sagebench.monitor.app;

import java.util.concurrent.CompletableFuture;

/** Where an SQS message the monitor cannot read goes (the service's dead-letter topic, implemented in messaging). */
public interface DeadLetterSender {

    /** Starts the send; the future completes when Kafka acknowledged (only then may the SQS message be deleted). */
    CompletableFuture<Void> deadLetter(String sqsMessageId, String body, String reason, String queueUrl);
}
