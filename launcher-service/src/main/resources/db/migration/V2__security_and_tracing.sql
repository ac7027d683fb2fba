-- The trace of the RunPlanned that created the run (W3C traceparent): every event published for the run later
-- (RunLaunched, RunAttemptEnded, RunDeferred, RunLaunchFailed) continues it.
ALTER TABLE launch ADD COLUMN traceparent VARCHAR(64);
-- Spending ceilings (docs/security.md): who submitted the run, its quoted cost per attempt, what it counts against the
-- day's ceilings (the quote of each attempt admitted), and the UTC day (database clock) it was last admitted on.
ALTER TABLE launch ADD COLUMN submitted_by VARCHAR(200);
ALTER TABLE launch ADD COLUMN quoted_usd DECIMAL(14, 4);
ALTER TABLE launch ADD COLUMN spend_usd DECIMAL(14, 4) NOT NULL DEFAULT 0;
ALTER TABLE launch ADD COLUMN admitted_on DATE;
-- The last attempt whose quote is in spend_usd, so a retried call of the same attempt is not counted twice.
ALTER TABLE launch ADD COLUMN charged_attempt INT NOT NULL DEFAULT 0;
-- room for designer-ceiling / account-ceiling and whatever reason comes next
ALTER TABLE launch MODIFY COLUMN defer_reason VARCHAR(32);
CREATE INDEX launch_spend ON launch (admitted_on, submitted_by);

-- The trace context each outbox row is published with (the record's traceparent header).
ALTER TABLE outbox ADD COLUMN traceparent VARCHAR(64);
