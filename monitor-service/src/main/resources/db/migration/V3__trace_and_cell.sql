-- The W3C traceparent of the RunLaunched that announced the job (the design's trace), put on every
-- TrainingJobStateChanged of the job: SageMaker's events carry no trace context. And the job's cell, from its tags or
-- the launch, for the published state and the spans.
ALTER TABLE tracked_job ADD COLUMN traceparent VARCHAR(55);
ALTER TABLE tracked_job ADD COLUMN cell_id VARCHAR(12);
