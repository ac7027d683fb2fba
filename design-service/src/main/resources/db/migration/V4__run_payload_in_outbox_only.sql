-- One source for each fact: a run's RunPlanned payload as published is its outbox row (record_key = run_id,
-- event_type = RunPlanned), kept after sending. The copy in run.planned_json doubled the bytes a 10,000-run design
-- writes in its transaction (docs/benchmarks.md) and was never read.
ALTER TABLE run DROP COLUMN planned_json;
