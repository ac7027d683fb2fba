package io.sagebench.results.domain;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * A design's progress. Counts are of runs. {@code finished} counts every run that has ended, whatever its outcome (a
 * stored result of any terminal status, or a launch that failed for good); {@code succeeded}, {@code failed} and
 * {@code stopped} split it. {@code running} counts runs whose job is InProgress and has reached Training (or
 * Uploading). {@code launched} counts runs that ever had a training job. {@code deferred} counts runs currently waiting
 * for quota or rate. {@code cancelled} counts runs cancelled before they got a job (they have ended too; a cancelled
 * run that had a job ends as Stopped when its job stops). {@code reused} counts the runs design-service reused from
 * earlier designs instead of running them again (DesignAccepted.reusedFrom); they are not part of {@code total}.
 */
public record Progress(String designId, int total, int planned, int deferred, int launched, int running, int finished,
                       int succeeded, int failed, int stopped, int cancelled, boolean completed, int reused) {

    /** @param endedAtLaunch the run's launch failed for good and no job of it will give a result */
    public record LaunchFact(String runId, String state, boolean everLaunched, boolean endedAtLaunch) {
    }

    public record JobFact(String runId, String status, String secondaryStatus) {
    }

    public record ResultFact(String runId, String status) {
    }

    public static Progress of(String designId, Integer runCount, Collection<String> plannedRunIds,
                              Collection<LaunchFact> launches, Collection<JobFact> jobs, Collection<ResultFact> results,
                              Collection<String> cancelledRunIds, boolean completed) {
        Set<String> known = new HashSet<>(plannedRunIds);
        Set<String> ended = new HashSet<>();
        int succeeded = 0, failed = 0, stopped = 0;
        for (ResultFact r : results) {
            known.add(r.runId());
            if (!ended.add(r.runId())) {
                continue;
            }
            switch (r.status()) {
                case RunStatus.COMPLETED -> succeeded++;
                case RunStatus.FAILED -> failed++;
                case RunStatus.STOPPED -> stopped++;
                default -> { }
            }
        }
        Set<String> launched = new HashSet<>();
        Set<String> deferred = new HashSet<>();
        for (LaunchFact l : launches) {
            known.add(l.runId());
            if (l.everLaunched()) {
                launched.add(l.runId());
            }
            if (l.endedAtLaunch() && ended.add(l.runId())) {
                failed++;
            }
            if ("deferred".equals(l.state()) && !ended.contains(l.runId())) {
                deferred.add(l.runId());
            }
        }
        Set<String> running = new HashSet<>();
        for (JobFact j : jobs) {
            known.add(j.runId());
            launched.add(j.runId());
            if (RunStatus.isRunning(j.status(), j.secondaryStatus()) && !ended.contains(j.runId())) {
                running.add(j.runId());
            }
        }
        int cancelled = 0;
        for (String runId : cancelledRunIds) {
            known.add(runId);
            if (!launched.contains(runId) && ended.add(runId)) {
                cancelled++;
            }
        }
        deferred.removeAll(running);
        deferred.removeAll(ended);
        int total = runCount != null ? runCount : known.size();
        return new Progress(designId, total, plannedRunIds.size(), deferred.size(), launched.size(), running.size(),
                ended.size(), succeeded, failed, stopped, cancelled, completed, 0);
    }

    public Progress withReused(int reusedRuns) {
        return new Progress(designId, total, planned, deferred, launched, running, finished, succeeded, failed, stopped,
                cancelled, completed, reusedRuns);
    }

    /** Every run of a design of known size has ended. */
    public boolean allEnded() {
        return total > 0 && finished >= total;
    }
}
