package io.sagebench.results.messaging;

import io.sagebench.results.app.OutgoingEvents;
import io.sagebench.results.domain.DesignSummary;
import io.sagebench.results.domain.RunRecord;
import jakarta.enterprise.context.ApplicationScoped;

/** {@link OutgoingEvents} as {@link EventPayloads} writes them. */
@ApplicationScoped
public class OutgoingEventsJson implements OutgoingEvents {

    @Override
    public String runResult(RunRecord result) {
        return EventPayloads.runResult(result).toString();
    }

    @Override
    public String designCompleted(DesignSummary summary) {
        return EventPayloads.designCompleted(summary).toString();
    }
}
