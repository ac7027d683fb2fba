-- Tracing: one design = one trace. The RunPlanned record's W3C traceparent is kept with the plan, so the RunResult
-- (and the design's DesignCompleted) continue that trace; the relay sends each row's traceparent as a record header.
ALTER TABLE run_plan ADD COLUMN traceparent VARCHAR(64) NULL;
ALTER TABLE outbox ADD COLUMN traceparent VARCHAR(64) NULL;

-- When a run's first job was launched (RunLaunched.launchedAt): the overdue gauge compares it with the quoted time.
ALTER TABLE run_launch ADD COLUMN launched_at TIMESTAMP(6) NULL;

-- Runs design-service reused from earlier designs instead of running again (DesignAccepted.reusedFrom).
ALTER TABLE design ADD COLUMN reused_runs INT NOT NULL DEFAULT 0;

-- Price-book versions refreshed from the AWS Price List API; the bundled docs/catalog/price-book.json is the seed.
CREATE TABLE price_book_version (
    version        VARCHAR(64)  NOT NULL PRIMARY KEY,
    effective_from DATE         NOT NULL,
    source         VARCHAR(255) NOT NULL,
    prices_json    MEDIUMTEXT   NOT NULL,
    created_at     TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
) ENGINE = InnoDB;
