package io.sagebench.contracts.events;

import io.sagebench.contracts.EventType;

/** A sagebench event; sealed, so the records here are all there are and each is one {@link EventType}. */
public sealed interface Event permits DesignSubmitted, DesignCancelRequested, DesignAccepted, DesignRejected,
        DesignCancelled, DesignCompleted, RunPlanned, RunCancelRequested, RunLaunched, RunLaunchFailed, RunDeferred,
        RunAttemptEnded, TrainingJobStateChanged, RunResult {

    EventType type();
}
