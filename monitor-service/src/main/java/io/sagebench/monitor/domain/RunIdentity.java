package io.sagebench.monitor.domain;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which run (and design, and attempt) a training job belongs to. Each part may be unknown (null); values that would break
 * the event contract's id patterns are treated as unknown rather than published.
 */
public record RunIdentity(String runId, String designId, Integer attempt) {

    public static final String TAG_RUN_ID = "sagebench:run-id";
    public static final String TAG_DESIGN_ID = "sagebench:design-id";
    public static final String TAG_ATTEMPT = "sagebench:attempt";
    public static final RunIdentity UNKNOWN = new RunIdentity(null, null, null);

    private static final Pattern DESIGN_ID = Pattern.compile("^[a-z0-9](-?[a-z0-9]){0,31}$");
    private static final Pattern RUN_ID = Pattern.compile("^[a-z0-9](-?[a-z0-9]){0,47}$");

    public RunIdentity {
        runId = runId != null && RUN_ID.matcher(runId).matches() ? runId : null;
        designId = designId != null && DESIGN_ID.matcher(designId).matches() ? designId : null;
        attempt = attempt != null && attempt >= 1 ? attempt : null;
    }

    /** From the tags the launcher puts on every job. */
    public static RunIdentity fromTags(Map<String, String> tags) {
        if (tags == null) {
            return UNKNOWN;
        }
        return new RunIdentity(tags.get(TAG_RUN_ID), tags.get(TAG_DESIGN_ID), parseInt(tags.get(TAG_ATTEMPT)));
    }

    /** From the deterministic job name `<prefix><runId>-a<attempt>`, with runId = `<designId>-r<NNN>`. */
    public static RunIdentity fromJobName(String jobName, String prefix) {
        if (jobName == null || !jobName.startsWith(prefix)) {
            return UNKNOWN;
        }
        Matcher m = Pattern.compile("^(.+)-a(\\d{1,6})$").matcher(jobName.substring(prefix.length()));
        if (!m.matches()) {
            return UNKNOWN;
        }
        String runId = m.group(1);
        Matcher run = Pattern.compile("^(.+)-r\\d+$").matcher(runId);
        return new RunIdentity(runId, run.matches() ? run.group(1) : null, parseInt(m.group(2)));
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
