package io.sagebench.results.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class TimeSplitTest {

    private static Instant t(int seconds) {
        return Instant.parse("2026-01-01T00:00:00Z").plusSeconds(seconds);
    }

    @Test
    void startupIsStartingPlusDownloading() {
        List<StatusTransition> transitions = List.of(
                new StatusTransition("Starting", t(0), t(120)),
                new StatusTransition("Downloading", t(120), t(180)),
                new StatusTransition("Training", t(180), t(1180)),
                new StatusTransition("Uploading", t(1180), t(1200)),
                new StatusTransition("Completed", t(1200), null));
        TimeSplit split = TimeSplit.of(transitions, t(1200));
        assertEquals(180.0, split.startupSeconds(), 1e-9);
        assertEquals(1000.0, split.trainingSeconds(), 1e-9);
        assertEquals(20.0, split.uploadSeconds(), 1e-9);
        assertEquals(27.0, split.throughput(27_000), 1e-9);
    }

    @Test
    void openTransitionsEndWhereTheNextStartsOrAtTheJobsEnd() {
        List<StatusTransition> transitions = List.of(
                new StatusTransition("Starting", t(0), null),
                new StatusTransition("Downloading", t(30), null),
                new StatusTransition("Training", t(40), null));
        TimeSplit split = TimeSplit.of(transitions, t(100));
        assertEquals(40.0, split.startupSeconds(), 1e-9);
        assertEquals(60.0, split.trainingSeconds(), 1e-9);
        assertEquals(0.0, split.uploadSeconds(), 1e-9);
    }

    @Test
    void interruptedSpotJobsSumTheirPhases() {
        List<StatusTransition> transitions = List.of(
                new StatusTransition("Starting", t(0), t(10)),
                new StatusTransition("Training", t(10), t(60)),
                new StatusTransition("Interrupted", t(60), t(70)),
                new StatusTransition("Starting", t(70), t(85)),
                new StatusTransition("Training", t(85), t(135)),
                new StatusTransition("Uploading", t(135), t(140)));
        TimeSplit split = TimeSplit.of(transitions, t(140));
        assertEquals(25.0, split.startupSeconds(), 1e-9);
        assertEquals(100.0, split.trainingSeconds(), 1e-9);
        assertEquals(5.0, split.uploadSeconds(), 1e-9);
    }

    @Test
    void aJobThatNeverTrainedHasNoThroughput() {
        TimeSplit split = TimeSplit.of(List.of(new StatusTransition("Starting", t(0), t(50))), t(50));
        assertEquals(50.0, split.startupSeconds(), 1e-9);
        assertNull(split.throughput(1000));
    }
}
