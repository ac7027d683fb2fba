-- RunCancelRequested: a cancelled run that never got a job has ended too (the launcher drops it silently).
CREATE TABLE run_cancel (
    run_id       VARCHAR(64)  NOT NULL PRIMARY KEY,
    design_id    VARCHAR(64)  NOT NULL,
    reason       TEXT,
    requested_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    INDEX run_cancel_design (design_id)
) ENGINE = InnoDB;
