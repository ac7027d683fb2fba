package io.sagebench.design;

import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.sagebench.testkit.ArchRules;

/** The shared architecture rules (testkit ArchRules); the lists name what is still to be moved or split. */
class ArchitectureTest {

    @Test
    void layersAndConceptsFollowTheRules() {
        ArchRules.checkService("io.sagebench.design", Set.of(
                // the outbox and the processed-event dedupe are unified into platform in a later round
                "OutboxRelay", "OutboxRepository", "ProcessedEvent"));
    }

    @Test
    void mainClassesStaySmall() {
        ArchRules.checkClassSizes(Path.of("src/main/java"), Set.of());
    }
}
