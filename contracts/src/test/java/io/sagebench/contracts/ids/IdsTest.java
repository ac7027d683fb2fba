package io.sagebench.contracts.ids;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdsTest {

    @Test
    void runIdsArePaddedToThreeDigitsAndGrowPastThem() {
        assertEquals("study-r001", Ids.runId("study", 1));
        assertEquals("study-r999", Ids.runId("study", 999));
        assertEquals("study-r1000", Ids.runId("study", 1000));
        assertTrue(Ids.isRunId(Ids.runId("a".repeat(32), Integer.MAX_VALUE)), "the longest design id, the largest sequence");
    }

    @Test
    void refusesRunIdsOutsideTheGrammar() {
        assertThrows(IllegalArgumentException.class, () -> Ids.runId("study", 0));
        assertThrows(IllegalArgumentException.class, () -> Ids.runId("Study", 1));
        assertThrows(IllegalArgumentException.class, () -> Ids.runId(null, 1));
    }

    @Test
    void theDesignOfARun() {
        assertEquals(Optional.of("study"), Ids.designIdOf("study-r001"));
        assertEquals(Optional.of("d-0123456789ab"), Ids.designIdOf("d-0123456789ab-r001"));
        assertEquals(Optional.of("x-r1"), Ids.designIdOf("x-r1-r002"));
        assertEquals(Optional.of("study"), Ids.designIdOf("study-r1"), "short sequences, as in hand-made ids");
        assertTrue(Ids.designIdOf("study").isEmpty());
        assertTrue(Ids.designIdOf("study-r").isEmpty());
        assertTrue(Ids.designIdOf("Study-r001").isEmpty());
        assertTrue(Ids.designIdOf(null).isEmpty());
        assertTrue(Ids.designIdOf("a".repeat(33) + "-r001").isEmpty(), "the design part is longer than a design id");
    }

    @Test
    void thePatternsAcceptAndRejectWhatTheSchemaSays() {
        assertTrue(Ids.isDesignId("a"));
        assertTrue(Ids.isDesignId("a".repeat(32)));
        assertFalse(Ids.isDesignId("a".repeat(33)));
        assertFalse(Ids.isDesignId("a--b"));
        assertFalse(Ids.isDesignId("-a"));
        assertTrue(Ids.isCellId("0123456789ab"));
        assertFalse(Ids.isCellId("0123456789AB"));
        assertFalse(Ids.isCellId(null));
        assertTrue(Ids.isTrainingJobName("A--b"));
        assertFalse(Ids.isTrainingJobName("a".repeat(64)));
    }
}
