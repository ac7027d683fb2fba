-- What results-service billed for the whole run (RunResult.costUsd, all attempts): once known it replaces the run's
-- quotes in spend_usd, so the daily ceilings count what was really spent.
ALTER TABLE launch ADD COLUMN billed_usd DECIMAL(14, 4);
