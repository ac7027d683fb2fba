package io.sagebench.design.app;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sagebench.contracts.EventType;
import io.sagebench.contracts.Topics;
import io.sagebench.contracts.ids.Ids;
import io.sagebench.design.app.DesignCancellation.CancelOutcome;
import io.sagebench.design.app.DesignSubmissions.Kind;
import io.sagebench.design.app.DesignSubmissions.SubmitOutcome;
import io.sagebench.design.config.DesignConfig;
import io.sagebench.design.domain.ValidationError;
import io.sagebench.design.repository.OutboxRepository;
import io.sagebench.design.repository.ProcessedEvent;
import io.sagebench.design.repository.RunEntity;
import io.sagebench.platform.db.CommitOrThrow;

/**
 * The consumed records, each in one transaction: bench.designs (DesignSubmitted, also when the event-type header is
 * absent, and DesignCancelRequested, deduplicated by event id) and bench.results. A bad record is rejected and
 * dead-lettered through the outbox, in the same transaction.
 */
@ApplicationScoped
@CommitOrThrow
public class DesignRecords {

    private static final Logger LOG = Logger.getLogger(DesignRecords.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Inject
    DesignSubmissions submissions;
    @Inject
    DesignCancellation cancellation;
    @Inject
    OutboxRepository outbox;
    @Inject
    EntityManager em;
    @Inject
    DesignMetrics metrics;
    @Inject
    DesignConfig config;

    /** A record from bench.designs; {@code auth} is what the record's authorization header proved. */
    @Transactional
    public Kind handle(IncomingRecord record, RecordAuth auth) {
        if (ProcessedEvent.findById(record.eventId()) != null) {
            LOG.debugf("event %s already processed", record.eventId());
            return Kind.ALREADY_PROCESSED;
        }
        Kind kind = switch (record.eventType()) {
            case "DesignSubmitted" -> handleSubmitted(record, auth);
            case "DesignCancelRequested" -> handleCancelRequested(record, auth);
            default -> {
                outbox.append(List.of(DesignEvents.deadLetter(record,
                        "unknown event-type " + record.eventType() + " on " + record.topic())));
                yield Kind.REJECTED;
            }
        };
        ProcessedEvent.of(record.eventId(), kind.name()).persist();
        return kind;
    }

    private Kind handleSubmitted(IncomingRecord record, RecordAuth auth) {
        if (record.valueBytes() > config.maxPayloadBytes()) {
            // refused unread: a huge value is never parsed into a tree
            rejectRecord(record, record.key(), List.of(new ValidationError("$", "the record's value is "
                    + record.valueBytes() + " bytes, more than the limit of " + config.maxPayloadBytes(),
                    DesignPolicy.PAYLOAD_TOO_LARGE)));
            return Kind.REJECTED;
        }
        JsonNode root;
        try {
            root = record.value() == null ? null : MAPPER.readTree(record.value());
        } catch (JsonProcessingException e) {
            rejectRecord(record, record.key(), List.of(DesignSubmissions.malformed(e)));
            return Kind.REJECTED;
        }
        if (root == null || root.isMissingNode()) {
            rejectRecord(record, record.key(), List.of(new ValidationError("$", "the record has no value")));
            return Kind.REJECTED;
        }
        if (submissions.isStoredAsIs(root)) {
            // e.g. the REST path's own DesignSubmitted record: that design was authenticated and stored; nothing to do
            return Kind.DUPLICATE;
        }
        if (!auth.ok()) {
            rejectRecord(record, record.key(), List.of(new ValidationError("$", auth.problem(),
                    DesignPolicy.UNAUTHENTICATED_SUBMISSION)));
            return Kind.REJECTED;
        }
        if (!auth.caller().mayDesign() && auth.caller().authenticated()) {
            rejectRecord(record, record.key(), List.of(new ValidationError("$", "the token of "
                    + auth.caller().name() + " has neither the designer nor the operator role",
                    DesignPolicy.UNAUTHENTICATED_SUBMISSION)));
            return Kind.REJECTED;
        }
        SubmitOutcome outcome = submissions.decide(root, DesignSubmissions.bindSubmitter(root, auth.caller()));
        if (outcome.kind() == Kind.REJECTED || outcome.kind() == Kind.CONFLICT) {
            rejectRecord(record, outcome.designId() != null ? outcome.designId() : record.key(), outcome.errors());
        }
        return outcome.kind();
    }

    private void rejectRecord(IncomingRecord record, String designId, List<ValidationError> errors) {
        String key = Ids.isDesignId(designId) ? designId : null;
        String reason = "design rejected: " + errors.stream().map(e -> e.path() + ": " + e.message())
                .collect(Collectors.joining("; "));
        LOG.infof("rejected the record at %s: %s", record.where(), reason);
        metrics.designRejected(errors.get(0).rule());
        outbox.append(List.of(
                DesignEvents.event(EventType.DesignRejected, key, DesignEvents.designRejected(key, errors)),
                DesignEvents.deadLetter(record, reason)));
    }

    private Kind handleCancelRequested(IncomingRecord record, RecordAuth auth) {
        if (!auth.ok()) {
            return deadLettered(record, DesignPolicy.UNAUTHENTICATED_SUBMISSION + ": " + auth.problem());
        }
        String designId = null;
        String reason = null;
        try {
            JsonNode root = MAPPER.readTree(record.value() == null ? "" : record.value());
            if (root != null && root.isObject()) {
                designId = root.path("designId").asText(null);
                reason = root.path("reason").asText(null);
            }
        } catch (JsonProcessingException e) {
            return deadLettered(record, "malformed JSON: " + e.getOriginalMessage());
        }
        if (designId == null) {
            return deadLettered(record, "DesignCancelRequested without designId");
        }
        CancelOutcome outcome = cancellation.cancel(designId, reason, auth.caller());
        if (!outcome.found()) {
            return deadLettered(record, "unknown design " + designId);
        }
        if (outcome.forbidden()) {
            return deadLettered(record, DesignCancellation.CANCEL_NOT_ALLOWED + ": " + auth.caller().name()
                    + " may cancel only their own designs (operators any)");
        }
        return Kind.ACCEPTED;
    }

    private Kind deadLettered(IncomingRecord record, String reason) {
        outbox.append(List.of(DesignEvents.deadLetter(record, reason)));
        return Kind.REJECTED;
    }

    /**
     * A consumed record that failed every attempt while the database works: the record is the problem. It is
     * dead-lettered (and a design rejected) through the outbox, and marked processed so a redelivery does not repeat it.
     */
    @Transactional
    public void deadLetterUnprocessable(IncomingRecord record, String reason) {
        if (ProcessedEvent.findById(record.eventId()) != null) {
            return;
        }
        if (Topics.DESIGNS.equals(record.topic()) && EventType.DesignSubmitted.name().equals(record.eventType())) {
            rejectRecord(record, record.key(), List.of(new ValidationError("$", reason)));
        } else {
            outbox.append(List.of(DesignEvents.deadLetter(record, reason)));
        }
        ProcessedEvent.of(record.eventId(), Kind.REJECTED.name()).persist();
    }

    /** A record that cannot be read at all (e.g. malformed JSON on bench.results): dead-lettered through the outbox. */
    @Transactional
    public void deadLetter(IncomingRecord record, String reason) {
        LOG.infof("dead-lettering %s: %s", record.where(), reason);
        outbox.append(List.of(DesignEvents.deadLetter(record, reason)));
    }

    /** A RunResult on bench.results: the run has finished, so cancel leaves it alone. */
    @Transactional
    public void runFinished(String runId, String status) {
        RunEntity run = RunEntity.findById(runId);
        if (run != null && status != null) {
            run.status = status.toUpperCase(Locale.ROOT);
            run.updatedAt = Instant.now();
        }
    }

    /**
     * Whether the database answers on every table the consumers write, in a transaction of its own: tells a database
     * that is away in a way no retry classifies as transient (a missing table) from a record the service cannot process.
     */
    public boolean databaseAvailable() {
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                for (String table : List.of("design", "run", "outbox", "processed_event")) {
                    em.createNativeQuery("SELECT 1 FROM " + table + " LIMIT 1").getResultList();
                }
                return true;
            });
        } catch (RuntimeException e) {
            LOG.warnf("the database does not answer: %s", e.toString());
            return false;
        }
    }
}
