-- Incoming events already applied (idempotent consumers): written in the same transaction as their effect.
CREATE TABLE processed_event (
    event_id     VARCHAR(200) NOT NULL PRIMARY KEY,
    event_type   VARCHAR(64)  NOT NULL,
    processed_at DATETIME(6)  NOT NULL
) ENGINE = InnoDB;

-- One row per run: the natural key runId is what stops a redelivered RunPlanned from creating a second job.
CREATE TABLE launch (
    run_id            VARCHAR(64)   NOT NULL PRIMARY KEY,
    design_id         VARCHAR(64)   NOT NULL,
    cell_id           VARCHAR(32),
    state             VARCHAR(16)   NOT NULL,
    attempt           INT           NOT NULL,
    training_job_name VARCHAR(63),
    training_job_arn  VARCHAR(256),
    instance_type     VARCHAR(64),
    instance_count    INT,
    plan_json         LONGTEXT,
    holds_quota       BOOLEAN       NOT NULL DEFAULT FALSE,
    cancel_requested  BOOLEAN       NOT NULL DEFAULT FALSE,
    defer_reason      VARCHAR(16),
    defer_count       INT           NOT NULL DEFAULT 0,
    retry_count       INT           NOT NULL DEFAULT 0,
    failure_class     VARCHAR(16),
    last_error        VARCHAR(2000),
    next_attempt_at   DATETIME(6),
    created_at        DATETIME(6)   NOT NULL,
    updated_at        DATETIME(6)   NOT NULL,
    launched_at       DATETIME(6),
    INDEX launch_due (next_attempt_at, state),
    INDEX launch_job (training_job_name),
    INDEX launch_type_state (instance_type, state)
) ENGINE = InnoDB;

-- Instances in use per type, shared by every launcher replica (row locks serialize admission).
CREATE TABLE instance_usage (
    instance_type VARCHAR(64) NOT NULL PRIMARY KEY,
    in_use        INT         NOT NULL DEFAULT 0
) ENGINE = InnoDB;

-- The account-wide CreateTrainingJob rate: the next free call slot (epoch ms), shared by every replica.
CREATE TABLE launch_rate (
    id           INT         NOT NULL PRIMARY KEY,
    next_slot_ms BIGINT      NOT NULL,
    calls        BIGINT      NOT NULL DEFAULT 0
) ENGINE = InnoDB;
INSERT INTO launch_rate (id, next_slot_ms, calls) VALUES (1, 0, 0);

-- Transactional outbox: events are written with the state change and sent by the relay after commit.
CREATE TABLE outbox (
    id         BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    event_id   VARCHAR(36)  NOT NULL,
    event_type VARCHAR(64)  NOT NULL,
    topic      VARCHAR(200) NOT NULL,
    msg_key    VARCHAR(200),
    payload    LONGTEXT     NOT NULL,
    created_at DATETIME(6)  NOT NULL,
    sent_at    DATETIME(6),
    UNIQUE KEY outbox_event_id (event_id),
    INDEX outbox_unsent (sent_at, id)
) ENGINE = InnoDB;
