-- The launcher may withdraw a relaunch it announced (RunAttemptEnded with relaunchCalledOff): the run was cancelled
-- before its next attempt got a job, or that attempt could not be launched. The verdict then turns final, and why.
ALTER TABLE attempt_verdict ADD COLUMN relaunch_called_off VARCHAR(16) NULL;
