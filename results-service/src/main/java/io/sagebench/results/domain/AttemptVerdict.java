package io.sagebench.results.domain;

/**
 * Whether a terminal attempt is its run's last. The launcher decides (RunAttemptEnded); a Completed or Stopped job is
 * always final, a Failed one is final only when the launcher said it will not relaunch.
 */
public enum AttemptVerdict {
    FINAL, RELAUNCHED, UNDECIDED;

    /** @param launcherRelaunches the launcher's RunAttemptEnded.relaunch for this attempt, null if not received yet */
    public static AttemptVerdict of(String terminalStatus, Boolean launcherRelaunches) {
        if (RunStatus.COMPLETED.equals(terminalStatus) || RunStatus.STOPPED.equals(terminalStatus)) {
            return FINAL;
        }
        if (launcherRelaunches == null) {
            return UNDECIDED;
        }
        return launcherRelaunches ? RELAUNCHED : FINAL;
    }
}
