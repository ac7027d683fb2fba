package io.sagebench.design.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sagebench.design.config.DesignConfig;
import io.sagebench.design.messaging.EventFactory;
import io.sagebench.design.messaging.IncomingRecord;
import io.sagebench.design.messaging.Topics;
import io.sagebench.design.repository.DesignEntity;
import io.sagebench.design.repository.OutboxRepository;
import io.sagebench.design.repository.OutboxRepository.OutboxRecord;
import io.sagebench.design.repository.ProcessedEvent;
import io.sagebench.design.repository.RunEntity;
import io.sagebench.design.repository.RunWriter;
import io.sagebench.platform.db.CommitOrThrow;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Set;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one application service behind both entry points (POST /designs and the bench.designs topic): plan, store the
 * design and its runs, and write the events to the outbox, all in one transaction.
 */
@ApplicationScoped
@CommitOrThrow
public class DesignService {

    private static final Logger LOG = Logger.getLogger(DesignService.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Dead-letter reason of a DesignCancelRequested whose producer may not cancel that design. */
    public static final String CANCEL_NOT_ALLOWED = "cancel-not-allowed";

    public enum Kind { ACCEPTED, DUPLICATE, CONFLICT, REJECTED, ALREADY_PROCESSED }

    /** What happened to a submitted design; {@code design} is set for ACCEPTED and DUPLICATE. */
    public record SubmitOutcome(Kind kind, String designId, List<ValidationError> errors, DesignEntity design,
                                List<String> runIds) {
    }

    /** {@code forbidden}: the caller may not cancel this design (a designer and not its submitter). */
    public record CancelOutcome(boolean found, boolean forbidden, String designId, String status,
                                List<String> cancelledRunIds) {
    }

    @Inject
    DesignPlanner planner;
    @Inject
    OutboxRepository outbox;
    @Inject
    RunWriter runWriter;
    @Inject
    EntityManager em;
    @Inject
    Clock clock;
    @Inject
    DesignPolicy policy;
    @Inject
    DesignMetrics metrics;
    @Inject
    DesignConfig config;

    /** Plans without storing anything: what POST /designs/preview shows. */
    public Plan preview(String json, Caller caller) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            return new Plan(null, null, null, 0, List.of(), null, Map.of(), List.of(malformed(e)));
        }
        List<ValidationError> refused = new ArrayList<>(bindSubmitter(root, caller));
        refused.addAll(policy.check(root));
        Plan plan = planner.plan(root, today(), this::completedRuns);
        if (refused.isEmpty()) {
            return plan;
        }
        refused.addAll(plan.errors());
        return new Plan(plan.designId(), plan.content(), plan.design(), plan.randomSeed(), List.of(), plan.quote(),
                Map.of(), List.copyOf(refused));
    }

    /** POST /designs by {@code caller}. A rejected design is answered with its errors and changes nothing. */
    @Transactional
    public SubmitOutcome submit(String json, Caller caller) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            metrics.designRejected(ValidationError.VALIDATION);
            return new SubmitOutcome(Kind.REJECTED, null, List.of(malformed(e)), null, List.of());
        }
        SubmitOutcome outcome = decide(root, bindSubmitter(root, caller));
        if (outcome.kind() == Kind.REJECTED || outcome.kind() == Kind.CONFLICT) {
            metrics.designRejected(outcome.errors().get(0).rule());
        }
        if (outcome.kind() == Kind.ACCEPTED) {
            // The REST path also records the design on bench.designs (its topic of record); the consumer sees an
            // identical design and does nothing more.
            ObjectNode submitted = root.isObject() ? ((ObjectNode) root).deepCopy() : MAPPER.createObjectNode();
            submitted.put("designId", outcome.designId());
            outbox.append(List.of(EventFactory.event(Topics.DESIGNS, outcome.designId(), "DesignSubmitted", submitted)));
        }
        return outcome;
    }

    /**
     * The submitter is the authenticated caller: written into the design as submittedBy (so it is part of the
     * design's content, its DesignAccepted and every RunPlanned); a different submittedBy in the design is refused.
     */
    static List<ValidationError> bindSubmitter(JsonNode root, Caller caller) {
        if (caller == null || !caller.authenticated() || !root.isObject()) {
            return List.of();
        }
        JsonNode given = root.get("submittedBy");
        if (given == null || given.isNull()) {
            ((ObjectNode) root).put("submittedBy", caller.name());
            return List.of();
        }
        if (given.isTextual() && !given.asText().equals(caller.name())) {
            return List.of(new ValidationError("$.submittedBy", "the design says it is submitted by '"
                    + DesignPolicy.printable(given.asText()) + "' but the token is " + caller.name() + "'s",
                    DesignPolicy.SUBMITTER_MISMATCH));
        }
        return List.of();
    }

    /**
     * A record from bench.designs: DesignSubmitted (also when the event-type header is absent) or
     * DesignCancelRequested. {@code auth} is what the record's authorization header proved.
     */
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
                outbox.append(List.of(EventFactory.deadLetter(record,
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
            rejectRecord(record, record.key(), List.of(malformed(e)));
            return Kind.REJECTED;
        }
        if (root == null || root.isMissingNode()) {
            rejectRecord(record, record.key(), List.of(new ValidationError("$", "the record has no value")));
            return Kind.REJECTED;
        }
        if (isStoredAsIs(root)) {
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
        SubmitOutcome outcome = decide(root, bindSubmitter(root, auth.caller()));
        switch (outcome.kind()) {
            case REJECTED, CONFLICT -> rejectRecord(record,
                    outcome.designId() != null ? outcome.designId() : record.key(), outcome.errors());
            default -> {
            }
        }
        return outcome.kind();
    }

    private void rejectRecord(IncomingRecord record, String designId, List<ValidationError> errors) {
        String key = designId != null && DesignParser.DESIGN_ID.matcher(designId).matches() ? designId : null;
        String reason = "design rejected: " + errors.stream().map(e -> e.path() + ": " + e.message())
                .collect(Collectors.joining("; "));
        LOG.infof("rejected the record at %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), reason);
        metrics.designRejected(errors.get(0).rule());
        outbox.append(List.of(
                EventFactory.event(Topics.DESIGN_STATUS, key, "DesignRejected", EventFactory.designRejected(key, errors)),
                EventFactory.deadLetter(record, reason)));
    }

    private Kind handleCancelRequested(IncomingRecord record, RecordAuth auth) {
        if (!auth.ok()) {
            outbox.append(List.of(EventFactory.deadLetter(record,
                    DesignPolicy.UNAUTHENTICATED_SUBMISSION + ": " + auth.problem())));
            return Kind.REJECTED;
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
            outbox.append(List.of(EventFactory.deadLetter(record, "malformed JSON: " + e.getOriginalMessage())));
            return Kind.REJECTED;
        }
        if (designId == null) {
            outbox.append(List.of(EventFactory.deadLetter(record, "DesignCancelRequested without designId")));
            return Kind.REJECTED;
        }
        CancelOutcome outcome = cancel(designId, reason, auth.caller());
        if (!outcome.found()) {
            outbox.append(List.of(EventFactory.deadLetter(record, "unknown design " + designId)));
            return Kind.REJECTED;
        }
        if (outcome.forbidden()) {
            outbox.append(List.of(EventFactory.deadLetter(record, CANCEL_NOT_ALLOWED + ": "
                    + auth.caller().name() + " may cancel only their own designs (operators any)")));
            return Kind.REJECTED;
        }
        return Kind.ACCEPTED;
    }

    /** Whether this exact design (same id, same content) is already stored. */
    private boolean isStoredAsIs(JsonNode root) {
        if (!root.isObject()) {
            return false;
        }
        String designId = designIdOf(root);
        if (designId == null || !DesignParser.DESIGN_ID.matcher(designId).matches()) {
            return false;
        }
        DesignEntity existing = DesignEntity.findById(designId);
        return existing != null && Canonical.sha256Hex(Canonical.designContent(root)).equals(existing.contentSha256);
    }

    private static String designIdOf(JsonNode root) {
        String givenId = root.isObject() && root.path("designId").isTextual() ? root.get("designId").asText() : null;
        return givenId != null ? givenId : root.isObject() ? Canonical.derivedDesignId(root) : null;
    }

    /**
     * The decision shared by both entry points: a design breaking a rule of docs/security.md (or {@code refused}
     * already, e.g. a submitter mismatch) is rejected with those problems first and every other one after them; a
     * known id with the same content is the same design, with other content a conflict; otherwise plan and, if
     * valid, store.
     */
    private SubmitOutcome decide(JsonNode root, List<ValidationError> refusedAlready) {
        List<ValidationError> refused = new ArrayList<>(refusedAlready);
        refused.addAll(policy.check(root));
        String givenId = root.isObject() && root.path("designId").isTextual() ? root.get("designId").asText() : null;
        String designId = designIdOf(root);
        Observed.design(designId);
        if (refused.isEmpty() && designId != null && DesignParser.DESIGN_ID.matcher(designId).matches()) {
            DesignEntity existing = DesignEntity.findById(designId);
            if (existing != null) {
                String hash = Canonical.sha256Hex(Canonical.designContent(root));
                if (hash.equals(existing.contentSha256)) {
                    return new SubmitOutcome(Kind.DUPLICATE, designId, List.of(), existing, runIdsOf(designId));
                }
                return new SubmitOutcome(Kind.CONFLICT, designId, List.of(new ValidationError("$.designId",
                        "design " + designId + " already exists with different content; use another designId",
                        ValidationError.CONFLICT)),
                        existing, List.of());
            }
        }
        long planning = System.nanoTime();
        Plan plan = planner.plan(root, today(), this::completedRuns);
        planning = System.nanoTime() - planning;
        if (!refused.isEmpty() || !plan.valid()) {
            refused.addAll(plan.errors());
            return new SubmitOutcome(Kind.REJECTED, plan.designId() != null ? plan.designId() : givenId,
                    List.copyOf(refused), null, List.of());
        }
        DesignEntity design = store(plan, planning);
        return new SubmitOutcome(Kind.ACCEPTED, plan.designId(), List.of(), design,
                plan.runsToPlan().stream().map(PlannedRun::runId).toList());
    }

    private DesignEntity store(Plan plan, long planningNanos) {
        long storing = System.nanoTime();
        Instant now = Instant.now();
        DesignEntity d = new DesignEntity();
        d.designId = plan.designId();
        d.name = plan.design().name();
        d.submittedBy = plan.design().submittedBy();
        d.status = DesignEntity.ACCEPTED;
        d.contentJson = plan.content();
        d.contentSha256 = Canonical.sha256Hex(plan.content());
        d.randomSeed = plan.randomSeed();
        d.runCount = plan.runsToPlan().size();
        d.reusedRuns = plan.reusedFrom().size();
        d.totalUsd = BigDecimal.valueOf(plan.quote().totalUsd());
        d.savedUsd = BigDecimal.valueOf(plan.quote().savedUsd());
        d.totalSeconds = plan.quote().totalSeconds();
        d.budgetUsd = BigDecimal.valueOf(plan.quote().budgetUsd());
        d.priceBookVersion = plan.quote().priceBookVersion();
        d.createdAt = now;
        d.updatedAt = now;
        em.persist(d);
        // Flush the design first: the runs are batch-inserted over JDBC and reference it.
        em.flush();

        List<OutboxRecord> records = new ArrayList<>(plan.runs().size() + 1);
        List<RunEntity> runs = new ArrayList<>(plan.runs().size());
        for (PlannedRun r : plan.runs()) {
            RunEntity run = new RunEntity();
            run.runId = r.runId();
            run.designId = r.designId();
            run.cellId = r.cellId();
            run.sequence = r.sequence();
            run.replicate = r.replicate();
            String reusedFrom = plan.reusedFrom().get(r.runId());
            run.status = reusedFrom != null ? RunEntity.REUSED : RunEntity.PLANNED;
            run.reusedFrom = reusedFrom;
            run.instanceType = r.instanceType();
            run.instanceCount = r.instanceCount();
            run.datasetSize = r.datasetSize();
            run.quoteSeconds = r.quote().seconds();
            run.quoteUsd = BigDecimal.valueOf(r.quote().usd());
            run.updatedAt = now;
            runs.add(run);
            if (reusedFrom == null) {
                // the payload as published is kept in its outbox row only (one copy: V4 dropped run.planned_json)
                records.add(EventFactory.event(Topics.RUNS, r.runId(), "RunPlanned",
                        EventFactory.runPlanned(r, d.submittedBy)));
            }
        }
        runWriter.insertAll(runs);
        records.add(EventFactory.event(Topics.DESIGN_STATUS, d.designId, "DesignAccepted", EventFactory.designAccepted(
                d.designId, d.name, d.submittedBy, d.randomSeed, plan.quote(),
                plan.runsToPlan().stream().map(PlannedRun::runId).toList(), plan.reusedFrom())));
        outbox.append(records);
        metrics.designAccepted(d.designId, d.runCount, plan.quote().totalUsd());
        LOG.infof("accepted design %s: %d runs (%d reused), quote %.2f USD (budget %.2f); planned in %d ms, "
                        + "written in %d ms", d.designId, d.runCount, d.reusedRuns, plan.quote().totalUsd(),
                plan.quote().budgetUsd(), planningNanos / 1_000_000, (System.nanoTime() - storing) / 1_000_000);
        return d;
    }

    /**
     * Asks every unfinished run of a design to stop (RunCancelRequested) and announces DesignCancelled. Cancelling
     * again publishes nothing new.
     */
    @Transactional
    public CancelOutcome cancel(String designId, String reason, Caller caller) {
        Observed.design(designId);
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
            records.add(EventFactory.event(Topics.RUNS, run.runId, "RunCancelRequested",
                    EventFactory.runCancelRequested(run.runId, designId, reason)));
        }
        design.status = DesignEntity.CANCELLED;
        design.updatedAt = now;
        records.add(EventFactory.event(Topics.DESIGN_STATUS, designId, "DesignCancelled",
                EventFactory.designCancelled(designId, cancelled)));
        outbox.append(records);
        metrics.designCancelled();
        LOG.infof("cancelled design %s: %d runs asked to stop", designId, cancelled.size());
        return new CancelOutcome(true, false, designId, design.status, cancelled);
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
        if (Topics.DESIGNS.equals(record.topic()) && "DesignSubmitted".equals(record.eventType())) {
            rejectRecord(record, record.key(), List.of(new ValidationError("$", reason)));
        } else {
            outbox.append(List.of(EventFactory.deadLetter(record, reason)));
        }
        ProcessedEvent.of(record.eventId(), Kind.REJECTED.name()).persist();
    }

    /** A record that cannot be read at all (e.g. malformed JSON on bench.results): dead-lettered through the outbox. */
    @Transactional
    public void deadLetter(IncomingRecord record, String reason) {
        LOG.infof("dead-lettering %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), reason);
        outbox.append(List.of(EventFactory.deadLetter(record, reason)));
    }

    /**
     * Whether the database answers on every table the consumers write, in a transaction of its own: tells an
     * infrastructure failure (false) from a record the service cannot process (true).
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

    /** A RunResult on bench.results: the run has finished, so cancel leaves it alone. */
    @Transactional
    public void runFinished(String runId, String status) {
        RunEntity run = RunEntity.findById(runId);
        if (run != null && status != null) {
            run.status = status.toUpperCase(Locale.ROOT);
            run.updatedAt = Instant.now();
        }
    }

    @Transactional
    public DesignEntity find(String designId) {
        return DesignEntity.findById(designId);
    }

    @Transactional
    public List<RunEntity> runsOf(String designId) {
        return RunEntity.ofDesign(designId);
    }

    @Transactional
    public List<DesignEntity> list() {
        return DesignEntity.list("order by createdAt desc");
    }

    private List<String> runIdsOf(String designId) {
        return em.createQuery("select r.runId from RunEntity r where r.designId = ?1 and r.reusedFrom is null "
                        + "order by r.sequence", String.class).setParameter(1, designId).getResultList();
    }

    /** Cell replicates measured to completion by earlier designs: {@code cellId#replicate} → runId. */
    Map<String, String> completedRuns(Set<String> cellIds) {
        Map<String, String> found = new HashMap<>();
        List<String> ids = new ArrayList<>(cellIds);
        for (int from = 0; from < ids.size(); from += 1000) {
            List<Object[]> rows = em.createQuery("select r.cellId, r.replicate, r.runId from RunEntity r "
                            + "where r.cellId in ?1 and r.status = ?2 order by r.runId", Object[].class)
                    .setParameter(1, ids.subList(from, Math.min(ids.size(), from + 1000)))
                    .setParameter(2, RunEntity.COMPLETED).getResultList();
            for (Object[] row : rows) {
                found.putIfAbsent(row[0] + "#" + row[1], (String) row[2]);
            }
        }
        return found;
    }

    private LocalDate today() {
        return LocalDate.now(clock);
    }

    static ValidationError malformed(JsonProcessingException e) {
        String where = e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        return new ValidationError("$", "malformed JSON" + where + ": " + e.getOriginalMessage());
    }

    public static Plan.DesignQuote quoteOf(DesignEntity d) {
        return new Plan.DesignQuote(d.totalUsd.doubleValue(), d.totalSeconds, d.budgetUsd.doubleValue(),
                d.priceBookVersion, d.reusedRuns, d.savedUsd.doubleValue());
    }

    /** The response body shared by POST /designs (201 and 200): what the design became. */
    public static ObjectNode summary(DesignEntity d, List<String> runIds) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("designId", d.designId);
        n.put("runCount", d.runCount);
        n.set("runIds", MAPPER.valueToTree(runIds));
        n.set("quote", EventFactory.quote(quoteOf(d)));
        n.put("randomSeed", d.randomSeed);
        if (d.reusedRuns > 0) {
            n.put("reusedRuns", d.reusedRuns);
        }
        return n;
    }

}
