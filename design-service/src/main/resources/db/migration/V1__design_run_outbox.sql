-- design-service schema: designs, their runs, the transactional outbox and the consumer's processed events.

CREATE TABLE design (
    design_id          VARCHAR(32)   NOT NULL PRIMARY KEY,
    name               VARCHAR(200),
    submitted_by       VARCHAR(200),
    status             VARCHAR(20)   NOT NULL,          -- ACCEPTED, CANCELLED
    content_json       LONGTEXT      NOT NULL,          -- canonical JSON of the design without its id
    content_sha256     CHAR(64)      NOT NULL,          -- "the same design" = same id and same hash
    random_seed        BIGINT        NOT NULL,
    run_count          INT           NOT NULL,
    total_usd          DECIMAL(14,4) NOT NULL,
    total_seconds      DOUBLE        NOT NULL,
    budget_usd         DECIMAL(14,4) NOT NULL,
    price_book_version VARCHAR(64)   NOT NULL,
    created_at         TIMESTAMP(6)  NOT NULL,
    updated_at         TIMESTAMP(6)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE run (
    run_id          VARCHAR(48)   NOT NULL PRIMARY KEY,
    design_id       VARCHAR(32)   NOT NULL,
    cell_id         CHAR(12)      NOT NULL,
    sequence_no     INT           NOT NULL,
    replicate       INT           NOT NULL,
    status          VARCHAR(20)   NOT NULL,             -- PLANNED, CANCEL_REQUESTED, COMPLETED, FAILED, STOPPED
    instance_type   VARCHAR(64)   NOT NULL,
    instance_count  INT           NOT NULL,
    dataset_size    BIGINT        NOT NULL,
    quote_seconds   BIGINT        NOT NULL,
    quote_usd       DECIMAL(14,4) NOT NULL,
    planned_json    LONGTEXT      NOT NULL,             -- the RunPlanned payload as published
    updated_at      TIMESTAMP(6)  NOT NULL,
    CONSTRAINT fk_run_design FOREIGN KEY (design_id) REFERENCES design (design_id),
    UNIQUE KEY uq_run_design_sequence (design_id, sequence_no),
    KEY ix_run_cell (cell_id, replicate)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Records to publish, written in the same transaction as the state they announce; the relay sends them in id order.
CREATE TABLE outbox (
    id          BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    topic       VARCHAR(249)  NOT NULL,
    record_key  VARCHAR(255),
    event_type  VARCHAR(64)   NOT NULL,
    event_id    VARCHAR(64)   NOT NULL,
    headers     TEXT          NOT NULL,                 -- JSON object of header name -> value
    payload     LONGTEXT,
    created_at  TIMESTAMP(6)  NOT NULL,
    sent_at     TIMESTAMP(6)  NULL,
    KEY ix_outbox_unsent (sent_at, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Incoming events already handled (event-id header, or topic-partition-offset when it is absent).
CREATE TABLE processed_event (
    event_id     VARCHAR(300)  NOT NULL PRIMARY KEY,
    outcome      VARCHAR(20)   NOT NULL,
    processed_at TIMESTAMP(6)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
