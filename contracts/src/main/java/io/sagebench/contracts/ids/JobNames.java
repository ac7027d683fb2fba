package io.sagebench.contracts.ids;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Deterministic training job names, {@code <prefix><runId>-a<attempt>}: the same run and attempt always give the same
 * name, so a retried or redelivered CreateTrainingJob can only hit ResourceInUse, never start a second paid job.
 */
public final class JobNames {

    public static final String DEFAULT_PREFIX = "bench-";

    // The attempt as it is written (no leading zero), at most nine digits so it always fits an int.
    private static final Pattern RUN_AND_ATTEMPT = Pattern.compile("^(.+)-a([1-9][0-9]{0,8})$");

    private JobNames() {
    }

    public static String of(String runId, int attempt) {
        return of(DEFAULT_PREFIX, runId, attempt);
    }

    /** @throws IllegalArgumentException when the parts are invalid or the name breaks SageMaker's name rule */
    public static String of(String prefix, String runId, int attempt) {
        if (prefix == null) {
            throw new IllegalArgumentException("job name prefix is null");
        }
        new RunAttempt(runId, attempt); // validates both
        String name = prefix + runId + "-a" + attempt;
        if (!isSageMakerName(name)) {
            throw new IllegalArgumentException("run id '" + runId + "' and attempt " + attempt
                    + " do not give a valid training job name: " + name);
        }
        return name;
    }

    /** Whether SageMaker accepts the name: letters, digits and hyphens, at most 63 characters. */
    public static boolean isSageMakerName(String name) {
        return Ids.isTrainingJobName(name);
    }

    public static Optional<RunAttempt> parse(String jobName) {
        return parse(jobName, DEFAULT_PREFIX);
    }

    /**
     * The run and attempt of one of our job names; empty for a foreign name. Only a name {@link #of} would give is
     * ours, so no two names can stand for the same attempt ({@code -a01} is foreign, not attempt 1).
     */
    public static Optional<RunAttempt> parse(String jobName, String prefix) {
        if (prefix == null || !isSageMakerName(jobName) || !jobName.startsWith(prefix)) {
            return Optional.empty();
        }
        Matcher m = RUN_AND_ATTEMPT.matcher(jobName.substring(prefix.length()));
        if (!m.matches() || !Ids.isRunId(m.group(1))) {
            return Optional.empty();
        }
        return Optional.of(new RunAttempt(m.group(1), Integer.parseInt(m.group(2))));
    }
}
