package io.sagebench.results.domain;

import java.util.Set;

/** The terminal training job statuses a run can end in. */
public final class RunStatus {

    public static final String COMPLETED = "Completed";
    public static final String FAILED = "Failed";
    public static final String STOPPED = "Stopped";

    private static final Set<String> TERMINAL = Set.of(COMPLETED, FAILED, STOPPED);

    /** Secondary statuses at which a job counts as running (it has started training). */
    private static final Set<String> RUNNING_SECONDARY = Set.of("Training", "Uploading");

    private RunStatus() {
    }

    public static boolean isTerminal(String status) {
        return status != null && TERMINAL.contains(status);
    }

    public static boolean isRunning(String status, String secondaryStatus) {
        return "InProgress".equals(status) && secondaryStatus != null && RUNNING_SECONDARY.contains(secondaryStatus);
    }
}
