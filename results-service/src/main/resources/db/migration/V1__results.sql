-- Idempotent consumers: one row per processed event id, written in the same transaction as the effect.
CREATE TABLE processed_event (
    event_id     VARCHAR(255) NOT NULL PRIMARY KEY,
    topic        VARCHAR(255) NOT NULL,
    processed_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
) ENGINE = InnoDB;

-- From DesignAccepted; also created empty by the first result so completion checks always have a row to lock.
CREATE TABLE design (
    design_id    VARCHAR(64)  NOT NULL PRIMARY KEY,
    name         VARCHAR(255),
    run_count    INT,
    run_ids      MEDIUMTEXT,
    accepted_at  TIMESTAMP(6) NULL,
    completed_at TIMESTAMP(6) NULL
) ENGINE = InnoDB;

-- From RunPlanned: the run's full configuration.
CREATE TABLE run_plan (
    run_id               VARCHAR(64)  NOT NULL PRIMARY KEY,
    design_id            VARCHAR(64)  NOT NULL,
    cell_id              VARCHAR(32)  NOT NULL,
    sequence             INT          NOT NULL,
    replicate            INT          NOT NULL,
    model_hub_id         VARCHAR(255) NOT NULL,
    model_parameters     BIGINT,
    dataset_hub_id       VARCHAR(255) NOT NULL,
    dataset_size         INT          NOT NULL,
    instance_type        VARCHAR(64)  NOT NULL,
    instance_count       INT          NOT NULL,
    gpus_per_instance    INT          NOT NULL,
    total_gpus           INT          NOT NULL,
    distribution         VARCHAR(32)  NOT NULL,
    per_device_batch     INT          NOT NULL,
    global_batch         INT          NOT NULL,
    learning_rate        DOUBLE       NOT NULL,
    steps                INT          NOT NULL,
    epochs               DOUBLE       NOT NULL,
    samples_seen         BIGINT       NOT NULL,
    volume_size_gb       INT          NOT NULL,
    spot                 BOOLEAN      NOT NULL,
    region               VARCHAR(32)  NOT NULL,
    quote_seconds        DOUBLE,
    quote_usd            DOUBLE,
    quote_hourly_price   DOUBLE,
    quote_price_book     VARCHAR(64),
    planned_at           TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    INDEX run_plan_design (design_id)
) ENGINE = InnoDB;

-- From bench.launches: the latest launch state of each run.
CREATE TABLE run_launch (
    run_id            VARCHAR(64)  NOT NULL PRIMARY KEY,
    design_id         VARCHAR(64)  NOT NULL,
    state             VARCHAR(16)  NOT NULL,
    attempt           INT,
    training_job_name VARCHAR(64),
    launched          BOOLEAN      NOT NULL DEFAULT FALSE,
    failure_class     VARCHAR(32),
    retryable         BOOLEAN,
    detail            TEXT,
    updated_at        TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    INDEX run_launch_design (design_id)
) ENGINE = InnoDB;

-- From bench.job-states: the latest state of each training job (a terminal state is never overwritten).
CREATE TABLE job_state (
    training_job_name VARCHAR(64)  NOT NULL PRIMARY KEY,
    run_id            VARCHAR(64)  NOT NULL,
    design_id         VARCHAR(64)  NOT NULL,
    attempt           INT          NOT NULL,
    status            VARCHAR(16)  NOT NULL,
    secondary_status  VARCHAR(32)  NOT NULL,
    last_modified     TIMESTAMP(6) NULL,
    terminal          BOOLEAN      NOT NULL,
    failure_reason    TEXT,
    describe_tries    INT          NOT NULL DEFAULT 0,
    last_error        TEXT,
    INDEX job_state_run (run_id),
    INDEX job_state_design (design_id)
) ENGINE = InnoDB;

-- One priced record per run.
CREATE TABLE run_result (
    run_id                VARCHAR(64)    NOT NULL PRIMARY KEY,
    design_id             VARCHAR(64)    NOT NULL,
    cell_id               VARCHAR(32)    NOT NULL,
    sequence              INT            NOT NULL,
    replicate             INT            NOT NULL,
    attempt               INT            NOT NULL,
    training_job_name     VARCHAR(64)    NOT NULL,
    status                VARCHAR(16)    NOT NULL,
    failure_reason        TEXT,
    instance_type         VARCHAR(64)    NOT NULL,
    instance_count        INT            NOT NULL,
    gpus_per_instance     INT            NOT NULL,
    total_gpus            INT            NOT NULL,
    distribution          VARCHAR(32)    NOT NULL,
    dataset_size          INT            NOT NULL,
    per_device_batch      INT            NOT NULL,
    global_batch          INT            NOT NULL,
    learning_rate         DOUBLE         NOT NULL,
    steps                 INT            NOT NULL,
    epochs                DOUBLE         NOT NULL,
    training_seconds      BIGINT         NOT NULL,
    billable_seconds      BIGINT         NOT NULL,
    startup_seconds       DOUBLE,
    training_phase_seconds DOUBLE,
    upload_seconds        DOUBLE,
    samples_per_second    DOUBLE,
    spot_savings_percent  DOUBLE,
    hourly_price_usd      DECIMAL(14, 6) NOT NULL,
    price_book_version    VARCHAR(64)    NOT NULL,
    cost_usd              DECIMAL(20, 10) NOT NULL,
    f1                    DOUBLE,
    metrics_json          TEXT,
    finished_at           TIMESTAMP(6)   NULL,
    stored_at             TIMESTAMP(6)   NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    INDEX run_result_design (design_id, sequence)
) ENGINE = InnoDB;

-- Transactional outbox: written with the result, sent by the relay, marked sent after Kafka acknowledged.
CREATE TABLE outbox (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    topic       VARCHAR(255) NOT NULL,
    message_key VARCHAR(255) NOT NULL,
    event_type  VARCHAR(64)  NOT NULL,
    event_id    VARCHAR(64)  NOT NULL,
    payload     MEDIUMTEXT   NOT NULL,
    created_at  TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    sent_at     TIMESTAMP(6) NULL,
    INDEX outbox_unsent (sent_at, id)
) ENGINE = InnoDB;
