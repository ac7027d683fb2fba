package io.sagebench.monitor.domain;

import java.util.Optional;

/** SageMaker's TrainingJobStatus values that belong in a job's stream (Deleting is not one). */
public enum JobStatus {
    InProgress(0), Stopping(1), Completed(2), Failed(2), Stopped(2);

    /** Progress rank: a job never moves to a lower rank (Stopping never returns to InProgress, terminal is final). */
    private final int rank;

    JobStatus(int rank) {
        this.rank = rank;
    }

    public int rank() {
        return rank;
    }

    public boolean terminal() {
        return rank == 2;
    }

    public static Optional<JobStatus> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (JobStatus s : values()) {
            if (s.name().equals(value.trim())) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
