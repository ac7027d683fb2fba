-- Incremental designs: a run whose cell replicate was measured to completion by an earlier design is reused.
ALTER TABLE run ADD COLUMN reused_from VARCHAR(48) NULL AFTER status;
ALTER TABLE design ADD COLUMN reused_runs INT NOT NULL DEFAULT 0 AFTER run_count;
ALTER TABLE design ADD COLUMN saved_usd DECIMAL(14,4) NOT NULL DEFAULT 0 AFTER total_usd;
CREATE INDEX ix_run_cell_status ON run (cell_id, status);
