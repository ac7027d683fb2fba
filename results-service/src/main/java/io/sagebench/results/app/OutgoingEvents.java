package io.sagebench.results.app;

import io.sagebench.results.domain.DesignSummary;
import io.sagebench.results.domain.RunRecord;

/** The payloads of what results-service publishes (written by messaging), as the JSON stored in the outbox. */
public interface OutgoingEvents {

    String runResult(RunRecord result);

    String designCompleted(DesignSummary summary);
}
