package io.sagebench.monitor.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.sagebench.monitor.domain.JobStatus.Completed;
import static io.sagebench.monitor.domain.JobStatus.Failed;
import static io.sagebench.monitor.domain.JobStatus.InProgress;
import static io.sagebench.monitor.domain.JobStatus.Stopped;
import static io.sagebench.monitor.domain.JobStatus.Stopping;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TransitionRulesTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static JobObservation seen(JobStatus status, String secondary, long seconds) {
        return new JobObservation("bench-d-x-r001-a1", status, secondary, T0.plusSeconds(seconds), null);
    }

    private static JobSnapshot was(JobStatus status, String secondary, long seconds) {
        return new JobSnapshot(status, secondary, T0.plusSeconds(seconds));
    }

    @Test
    void firstSightingIsAccepted() {
        assertEquals(Verdict.ACCEPT, TransitionRules.judge(null, seen(InProgress, "Starting", 0)));
    }

    @Test
    void newerStateIsAccepted() {
        assertEquals(Verdict.ACCEPT, TransitionRules.judge(was(InProgress, "Starting", 0), seen(InProgress, "Downloading", 5)));
        assertEquals(Verdict.ACCEPT, TransitionRules.judge(was(InProgress, "Training", 5), seen(Completed, "Completed", 9)));
        // spot interruption: the secondary status goes back to Starting, with a newer time; that is progress
        assertEquals(Verdict.ACCEPT, TransitionRules.judge(was(InProgress, "Interrupted", 5), seen(InProgress, "Starting", 6)));
    }

    @Test
    void sameChangeAgainIsADuplicate() {
        assertEquals(Verdict.DUPLICATE, TransitionRules.judge(was(InProgress, "Training", 5), seen(InProgress, "Training", 5)));
        assertEquals(Verdict.DUPLICATE, TransitionRules.judge(was(Completed, "Completed", 9), seen(Completed, "Completed", 9)));
    }

    @Test
    void olderStateIsARegression() {
        assertEquals(Verdict.REGRESSION, TransitionRules.judge(was(InProgress, "Training", 5), seen(InProgress, "Downloading", 3)));
    }

    @Test
    void aTerminalJobNeverChanges() {
        for (JobStatus terminal : new JobStatus[] {Completed, Failed, Stopped}) {
            JobSnapshot done = was(terminal, terminal.name(), 9);
            assertEquals(Verdict.REGRESSION, TransitionRules.judge(done, seen(InProgress, "Training", 20)), terminal.name());
            assertEquals(Verdict.REGRESSION, TransitionRules.judge(done, seen(Failed, "Failed", 20)), terminal.name());
        }
    }

    @Test
    void statusNeverGoesBackInRank() {
        assertEquals(Verdict.REGRESSION, TransitionRules.judge(was(Stopping, "Stopping", 5), seen(InProgress, "Training", 6)));
        assertEquals(Verdict.ACCEPT, TransitionRules.judge(was(Stopping, "Stopping", 5), seen(Stopped, "Stopped", 6)));
    }

    @Test
    void sameTimeDifferentStateOnlyIfItMovesForward() {
        assertEquals(Verdict.ACCEPT, TransitionRules.judge(was(InProgress, "Uploading", 5), seen(Completed, "Completed", 5)));
        assertEquals(Verdict.REGRESSION, TransitionRules.judge(was(InProgress, "Uploading", 5), seen(InProgress, "Training", 5)));
    }

    @Test
    void reconcilePublishesOnlyRealChanges() {
        // the same state with a different clock reading is no change
        assertEquals(Verdict.DUPLICATE, TransitionRules.judgeReconciled(was(InProgress, "Training", 5), seen(InProgress, "Training", 7)));
        // the API's terminal state wins even if its clock reads earlier than the last event's
        assertEquals(Verdict.ACCEPT, TransitionRules.judgeReconciled(was(InProgress, "Training", 5), seen(Completed, "Completed", 4)));
        assertEquals(Verdict.ACCEPT, TransitionRules.judgeReconciled(was(InProgress, "Training", 5), seen(InProgress, "Uploading", 8)));
        assertEquals(Verdict.REGRESSION, TransitionRules.judgeReconciled(was(Completed, "Completed", 5), seen(Failed, "Failed", 8)));
        assertEquals(Verdict.ACCEPT, TransitionRules.judgeReconciled(null, seen(InProgress, "Starting", 0)));
    }
}
