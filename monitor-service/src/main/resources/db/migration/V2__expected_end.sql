-- When a job that is still running should have ended (its run bound from the event's StoppingCondition, or a configured
-- bound, after it was launched or first seen, plus a grace): past it, the job is checked without waiting for silence.
ALTER TABLE tracked_job ADD COLUMN expected_end_at DATETIME(3);
CREATE INDEX ix_tracked_job_expected_end ON tracked_job (terminal, expected_end_at);
