-- RunAttemptEnded: the launcher's verdict on each ended attempt of a run (relaunch, or the run's last attempt).
CREATE TABLE attempt_verdict (
    training_job_name VARCHAR(64)  NOT NULL PRIMARY KEY,
    run_id            VARCHAR(64)  NOT NULL,
    design_id         VARCHAR(64)  NOT NULL,
    attempt           INT          NOT NULL,
    status            VARCHAR(16)  NOT NULL,
    relaunch          BOOLEAN      NOT NULL,
    next_attempt      INT,
    received_at       TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    INDEX attempt_verdict_run (run_id)
) ENGINE = InnoDB;

-- Every ended attempt of a run, priced like a run (billable / 3600 x price x count). Failed attempts that were
-- relaunched are stored as soon as they are priced; the final attempt together with the run's result.
CREATE TABLE run_attempt (
    training_job_name  VARCHAR(64)     NOT NULL PRIMARY KEY,
    run_id             VARCHAR(64)     NOT NULL,
    design_id          VARCHAR(64)     NOT NULL,
    attempt            INT             NOT NULL,
    status             VARCHAR(16)     NOT NULL,
    failure_reason     TEXT,
    training_seconds   BIGINT          NOT NULL,
    billable_seconds   BIGINT          NOT NULL,
    hourly_price_usd   DECIMAL(14, 6)  NOT NULL,
    price_book_version VARCHAR(64)     NOT NULL,
    cost_usd           DECIMAL(20, 10) NOT NULL,
    ended_at           TIMESTAMP(6)    NULL,
    stored_at          TIMESTAMP(6)    NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    INDEX run_attempt_run (run_id, attempt)
) ENGINE = InnoDB;

-- A run's cost includes its earlier failed attempts; billable_seconds stays the final attempt's.
ALTER TABLE run_result
    ADD COLUMN attempts                         INT             NOT NULL DEFAULT 1,
    ADD COLUMN failed_attempts_billable_seconds BIGINT          NOT NULL DEFAULT 0,
    ADD COLUMN failed_attempts_cost_usd         DECIMAL(20, 10) NOT NULL DEFAULT 0;
