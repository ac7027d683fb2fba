package io.sagebench.results.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A job's wall clock split by secondary status: startup (Starting + Downloading, and the retired pre-training
 * statuses), training (Training) and upload (Uploading). A spot job that is interrupted trains more than once; the
 * phases are summed.
 */
public record TimeSplit(double startupSeconds, double trainingSeconds, double uploadSeconds) {

    private static final Set<String> STARTUP = Set.of("Starting", "Pending", "LaunchingMLInstances",
            "PreparingTrainingStack", "Downloading", "DownloadingTrainingImage", "Restarting");

    /**
     * @param transitions in the order DescribeTrainingJob lists them
     * @param jobEnd      where an open-ended last transition stops (TrainingEndTime or LastModifiedTime); may be null
     */
    public static TimeSplit of(List<StatusTransition> transitions, Instant jobEnd) {
        double startup = 0, training = 0, upload = 0;
        for (int i = 0; i < transitions.size(); i++) {
            StatusTransition t = transitions.get(i);
            Instant end = t.end();
            if (end == null) {
                end = i + 1 < transitions.size() ? transitions.get(i + 1).start() : jobEnd;
            }
            if (t.start() == null || end == null || end.isBefore(t.start())) {
                continue;
            }
            double seconds = Duration.between(t.start(), end).toNanos() / 1e9;
            if (STARTUP.contains(t.status())) {
                startup += seconds;
            } else if ("Training".equals(t.status())) {
                training += seconds;
            } else if ("Uploading".equals(t.status())) {
                upload += seconds;
            }
        }
        return new TimeSplit(startup, training, upload);
    }

    /** Samples per second over the Training phase, or null when the job did not train. */
    public Double throughput(long samplesSeen) {
        return trainingSeconds > 0 ? samplesSeen / trainingSeconds : null;
    }
}
