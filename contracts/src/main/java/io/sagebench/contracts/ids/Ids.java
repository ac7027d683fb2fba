package io.sagebench.contracts.ids;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The id grammar of the events, once. The patterns are common.schema.json's {@code $defs}, copied as constants so
 * checking an id needs no JSON; ContractTest fails if the two ever differ.
 */
public final class Ids {

    /** Lower-case letters, digits and single hyphens, at most 32 characters. */
    public static final String DESIGN_ID_PATTERN = "^[a-z0-9](-?[a-z0-9]){0,31}$";
    /** Same alphabet, at most 48 characters: room for {@code -r<sequence>} after the longest design id. */
    public static final String RUN_ID_PATTERN = "^[a-z0-9](-?[a-z0-9]){0,47}$";
    /** A stable hash of a cell's configuration; replicates share it. */
    public static final String CELL_ID_PATTERN = "^[0-9a-f]{12}$";
    /** SageMaker's own rule for training job names. */
    public static final String TRAINING_JOB_NAME_PATTERN = "^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$";

    public static final Pattern DESIGN_ID = Pattern.compile(DESIGN_ID_PATTERN);
    public static final Pattern RUN_ID = Pattern.compile(RUN_ID_PATTERN);
    public static final Pattern CELL_ID = Pattern.compile(CELL_ID_PATTERN);
    public static final Pattern TRAINING_JOB_NAME = Pattern.compile(TRAINING_JOB_NAME_PATTERN);

    // Any number of digits: design writes three or more, but hand-made ids (tests, the seed) use fewer.
    private static final Pattern DESIGN_OF_RUN = Pattern.compile("^(.+)-r[0-9]+$");

    private Ids() {
    }

    public static boolean isDesignId(String s) {
        return s != null && DESIGN_ID.matcher(s).matches();
    }

    public static boolean isRunId(String s) {
        return s != null && RUN_ID.matcher(s).matches();
    }

    public static boolean isCellId(String s) {
        return s != null && CELL_ID.matcher(s).matches();
    }

    public static boolean isTrainingJobName(String s) {
        return s != null && TRAINING_JOB_NAME.matcher(s).matches();
    }

    /** The id of a design's run: {@code <designId>-r<sequence>}, the sequence zero-padded to three digits. */
    public static String runId(String designId, int sequence) {
        if (!isDesignId(designId)) {
            throw new IllegalArgumentException("not a design id: '" + designId + "'");
        }
        if (sequence < 1) {
            throw new IllegalArgumentException("run sequences start at 1, got " + sequence);
        }
        // fits: a 32-character design id plus "-r" and ten digits is 44 of the run id's 48
        return designId + "-r" + String.format(Locale.ROOT, "%03d", sequence);
    }

    /** The design a run id belongs to; empty when the id is not {@code <designId>-r<digits>}. */
    public static Optional<String> designIdOf(String runId) {
        if (!isRunId(runId)) {
            return Optional.empty();
        }
        Matcher m = DESIGN_OF_RUN.matcher(runId);
        return m.matches() && isDesignId(m.group(1)) ? Optional.of(m.group(1)) : Optional.empty();
    }
}
