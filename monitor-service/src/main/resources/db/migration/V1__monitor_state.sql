-- Per-job state: the last state published on bench.job-states, what bench.launches taught us, and the silence clock.
CREATE TABLE tracked_job (
    job_name           VARCHAR(63)  NOT NULL PRIMARY KEY,
    job_arn            VARCHAR(255),
    run_id             VARCHAR(48),
    design_id          VARCHAR(32),
    attempt            INT,
    status             VARCHAR(16),
    secondary_status   VARCHAR(64),
    last_modified_time DATETIME(3),
    failure_reason     TEXT,
    terminal           BOOLEAN      NOT NULL DEFAULT FALSE,
    launched_at        DATETIME(3),
    last_heard_at      DATETIME(3)  NOT NULL,
    last_checked_at    DATETIME(3),
    version            BIGINT       NOT NULL DEFAULT 0
);
CREATE INDEX ix_tracked_job_silent ON tracked_job (terminal, last_heard_at);

-- Every state published, once: the unique key is the duplicate rule (job + status + secondary status + time).
CREATE TABLE job_transition (
    id                 BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    job_name           VARCHAR(63)  NOT NULL,
    status             VARCHAR(16)  NOT NULL,
    secondary_status   VARCHAR(64)  NOT NULL,
    last_modified_time DATETIME(3)  NOT NULL,
    failure_reason     TEXT,
    source             VARCHAR(16)  NOT NULL,
    source_event_id    VARCHAR(128),
    event_id           CHAR(36)     NOT NULL,
    recorded_at        DATETIME(3)  NOT NULL,
    CONSTRAINT uq_job_transition UNIQUE (job_name, status, secondary_status, last_modified_time)
);

-- Ids of EventBridge events and Kafka records already handled (idempotent consumers).
CREATE TABLE processed_event (
    event_id     VARCHAR(160) NOT NULL PRIMARY KEY,
    processed_at DATETIME(3)  NOT NULL
);
