package io.sagebench.monitor.domain;

import java.util.Map;

import io.sagebench.contracts.ids.Ids;
import io.sagebench.contracts.ids.JobNames;
import io.sagebench.contracts.ids.JobTags;
import io.sagebench.contracts.ids.RunAttempt;

/**
 * Which run (and design, and attempt) a training job belongs to. Each part may be unknown (null); values that would break
 * the event contract's id patterns are treated as unknown rather than published.
 */
public record RunIdentity(String runId, String designId, Integer attempt) {

    public static final RunIdentity UNKNOWN = new RunIdentity(null, null, null);

    public RunIdentity {
        runId = Ids.isRunId(runId) ? runId : null;
        designId = Ids.isDesignId(designId) ? designId : null;
        attempt = attempt != null && attempt >= 1 ? attempt : null;
    }

    /** From the tags the launcher puts on every job. */
    public static RunIdentity fromTags(Map<String, String> tags) {
        if (tags == null) {
            return UNKNOWN;
        }
        return new RunIdentity(tags.get(JobTags.RUN_ID), tags.get(JobTags.DESIGN_ID), parseInt(tags.get(JobTags.ATTEMPT)));
    }

    /** From the deterministic job name (contracts' {@link JobNames}) under the configured prefix. */
    public static RunIdentity fromJobName(String jobName, String prefix) {
        return JobNames.parse(jobName, prefix).map(RunIdentity::of).orElse(UNKNOWN);
    }

    private static RunIdentity of(RunAttempt run) {
        return new RunIdentity(run.runId(), run.designId().orElse(null), run.attempt());
    }

    /** Each part from this identity, else from the fallback. */
    public RunIdentity orElse(RunIdentity fallback) {
        if (fallback == null) {
            return this;
        }
        return new RunIdentity(runId != null ? runId : fallback.runId,
                designId != null ? designId : fallback.designId,
                attempt != null ? attempt : fallback.attempt);
    }

    private static Integer parseInt(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Integer.valueOf(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
