package io.sagebench.design.app;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.sagebench.contracts.EventType;
import io.sagebench.design.repository.DesignEntity;
import io.sagebench.design.repository.OutboxRepository;
import io.sagebench.design.repository.OutboxRepository.OutboxRecord;
import io.sagebench.design.repository.RunEntity;
import io.sagebench.platform.db.CommitOrThrow;

/** Cancelling a design, by POST /designs/{id}/cancel or a DesignCancelRequested on bench.designs. */
@ApplicationScoped
@CommitOrThrow
public class DesignCancellation {

    private static final Logger LOG = Logger.getLogger(DesignCancellation.class);
    /** The rule (and dead-letter reason) of a cancel whose caller may not cancel that design. */
    public static final String CANCEL_NOT_ALLOWED = "cancel-not-allowed";

    /** {@code forbidden}: the caller may not cancel this design (a designer and not its submitter). */
    public record CancelOutcome(boolean found, boolean forbidden, String designId, String status,
                                List<String> cancelledRunIds) {
    }

    @Inject
    OutboxRepository outbox;
    @Inject
    DesignMetrics metrics;

    /**
     * Asks every unfinished run of a design to stop (RunCancelRequested) and announces DesignCancelled. Cancelling
     * again publishes nothing new.
     */
    @Transactional
    public CancelOutcome cancel(String designId, String reason, Caller caller) {
        DesignTrace.name(designId);
        DesignEntity design = DesignEntity.findById(designId);
        if (design == null) {
            return new CancelOutcome(false, false, designId, null, List.of());
        }
        if (!caller.mayCancel(design.submittedBy)) {
            return new CancelOutcome(true, true, designId, design.status, List.of());
        }
        if (DesignEntity.CANCELLED.equals(design.status)) {
            return new CancelOutcome(true, false, designId, design.status, List.of());
        }
        Instant now = Instant.now();
        List<OutboxRecord> records = new ArrayList<>();
        List<String> cancelled = new ArrayList<>();
        for (RunEntity run : RunEntity.ofDesign(designId)) {
            if (run.finished() || RunEntity.CANCEL_REQUESTED.equals(run.status)) {
                continue;
            }
            run.status = RunEntity.CANCEL_REQUESTED;
            run.updatedAt = now;
            cancelled.add(run.runId);
            records.add(DesignEvents.event(EventType.RunCancelRequested, run.runId,
                    DesignEvents.runCancelRequested(run.runId, designId, reason)));
        }
        design.status = DesignEntity.CANCELLED;
        design.updatedAt = now;
        records.add(DesignEvents.event(EventType.DesignCancelled, designId,
                DesignEvents.designCancelled(designId, cancelled)));
        outbox.append(records);
        metrics.designCancelled();
        LOG.infof("cancelled design %s: %d runs asked to stop", designId, cancelled.size());
        return new CancelOutcome(true, false, designId, design.status, cancelled);
    }
}
