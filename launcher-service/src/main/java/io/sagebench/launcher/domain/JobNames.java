package io.sagebench.launcher.domain;

import java.util.regex.Pattern;

/**
 * Deterministic training job names: the same run and attempt always give the same name, so a retried or redelivered
 * CreateTrainingJob can only ever hit ResourceInUse, never create a second paid job.
 */
public final class JobNames {
    public static final Pattern SAGEMAKER_NAME = Pattern.compile("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$");
    public static final Pattern RUN_ID = Pattern.compile("^[a-z0-9](-?[a-z0-9]){0,47}$");
    private static final Pattern JOB_NAME = Pattern.compile("^bench-(.+)-a([1-9][0-9]*)$");

    private JobNames() {
    }

    public static String jobName(String runId, int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt starts at 1, got " + attempt);
        }
        String name = "bench-" + runId + "-a" + attempt;
        if (!SAGEMAKER_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("run id '" + runId + "' does not give a valid training job name: " + name);
        }
        return name;
    }

    /** The run id of one of our job names, or null if the name is not ours. */
    public static String runIdOf(String jobName) {
        var m = JOB_NAME.matcher(jobName == null ? "" : jobName);
        return m.matches() ? m.group(1) : null;
    }

    public static Integer attemptOf(String jobName) {
        var m = JOB_NAME.matcher(jobName == null ? "" : jobName);
        return m.matches() ? Integer.valueOf(m.group(2)) : null;
    }
}
