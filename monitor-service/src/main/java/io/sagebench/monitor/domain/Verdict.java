package io.sagebench.monitor.domain;

/** What to do with an observation, given what was already published for the job. */
public enum Verdict {
    /** A new state: record and publish it. */
    ACCEPT,
    /** The same change seen again (SageMaker sends several events per change; SQS delivers at least once). */
    DUPLICATE,
    /** Older than what was published, or leaving a terminal / going back in status: drop it. */
    REGRESSION
}
