-- DescribeTrainingJob failures back off exponentially instead of burning the retry budget in seconds.
ALTER TABLE job_state ADD COLUMN next_try_at TIMESTAMP(6) NULL;
