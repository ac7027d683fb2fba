package io.sagebench.monitor.domain;

/**
 * Turns an unordered, repeated stream of sightings into one ordered stream per job.
 * <ul>
 * <li>same status + secondary status + LastModifiedTime as published → duplicate;</li>
 * <li>a terminal job never changes again; an older LastModifiedTime never overwrites a newer one;
 *     a status never goes back in rank (Stopping → InProgress) → regression;</li>
 * <li>for the same LastModifiedTime (millisecond resolution) a different state is accepted only if it moves forward in rank,
 *     since the timestamps cannot order them.</li>
 * </ul>
 */
public final class TransitionRules {

    private TransitionRules() {
    }

    public static Verdict judge(JobSnapshot published, JobObservation seen) {
        if (published == null) {
            return Verdict.ACCEPT;
        }
        if (seen.sameChangeAs(published)) {
            return Verdict.DUPLICATE;
        }
        if (published.status().terminal()) {
            return Verdict.REGRESSION;
        }
        if (seen.status().rank() < published.status().rank()) {
            return Verdict.REGRESSION;
        }
        int byTime = seen.lastModifiedTime().compareTo(published.lastModifiedTime());
        if (byTime < 0) {
            return Verdict.REGRESSION;
        }
        if (byTime == 0) {
            return seen.status().rank() > published.status().rank() ? Verdict.ACCEPT : Verdict.REGRESSION;
        }
        return Verdict.ACCEPT;
    }

    /**
     * DescribeTrainingJob is the source of truth, but its LastModifiedTime may differ from the events' (precision, or
     * updates of fields that are not state): a reconcile check publishes only when status or secondary status changed,
     * and a terminal state it reports is accepted even if its clock reads earlier than the last event's.
     */
    public static Verdict judgeReconciled(JobSnapshot published, JobObservation described) {
        if (published == null) {
            return Verdict.ACCEPT;
        }
        if (described.status() == published.status() && described.secondaryStatus().equals(published.secondaryStatus())) {
            return Verdict.DUPLICATE;
        }
        if (published.status().terminal() || described.status().rank() < published.status().rank()) {
            return Verdict.REGRESSION;
        }
        if (described.status().terminal()) {
            return Verdict.ACCEPT;
        }
        return described.lastModifiedTime().isAfter(published.lastModifiedTime()) ? Verdict.ACCEPT : Verdict.REGRESSION;
    }
}
