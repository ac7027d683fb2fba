package io.sagebench.design.app;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sagebench.contracts.EventType;
import io.sagebench.contracts.ids.Ids;
import io.sagebench.design.domain.Plan;
import io.sagebench.design.domain.PlannedRun;
import io.sagebench.design.domain.ValidationError;
import io.sagebench.design.repository.DesignEntity;
import io.sagebench.design.repository.OutboxRepository;
import io.sagebench.design.repository.OutboxRepository.OutboxRecord;
import io.sagebench.design.repository.RunEntity;
import io.sagebench.design.repository.RunWriter;
import io.sagebench.platform.db.CommitOrThrow;

/**
 * Submitting a design, by POST /designs or on bench.designs: plan it, and store the design, its runs and their events
 * (through the outbox) in one transaction.
 */
@ApplicationScoped
@CommitOrThrow
public class DesignSubmissions {

    private static final Logger LOG = Logger.getLogger(DesignSubmissions.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public enum Kind { ACCEPTED, DUPLICATE, CONFLICT, REJECTED, ALREADY_PROCESSED }

    /** What happened to a submitted design; {@code design} is set for ACCEPTED and DUPLICATE. */
    public record SubmitOutcome(Kind kind, String designId, List<ValidationError> errors, DesignEntity design,
                                List<String> runIds) {
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
            outbox.append(List.of(DesignEvents.event(EventType.DesignSubmitted, outcome.designId(), submitted)));
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

    /** Whether this exact design (same id, same content) is already stored. */
    boolean isStoredAsIs(JsonNode root) {
        if (!root.isObject()) {
            return false;
        }
        String designId = designIdOf(root);
        if (!Ids.isDesignId(designId)) {
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
     * valid, store. Joins the caller's transaction.
     */
    @Transactional
    SubmitOutcome decide(JsonNode root, List<ValidationError> refusedAlready) {
        List<ValidationError> refused = new ArrayList<>(refusedAlready);
        refused.addAll(policy.check(root));
        String givenId = root.isObject() && root.path("designId").isTextual() ? root.get("designId").asText() : null;
        String designId = designIdOf(root);
        DesignTrace.name(designId);
        if (refused.isEmpty() && Ids.isDesignId(designId)) {
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
        DesignEntity d = DesignEntity.of(plan, Canonical.sha256Hex(plan.content()), now);
        em.persist(d);
        // Flush the design first: the runs are batch-inserted over JDBC and reference it.
        em.flush();

        List<OutboxRecord> records = new ArrayList<>(plan.runs().size() + 1);
        List<RunEntity> runs = new ArrayList<>(plan.runs().size());
        for (PlannedRun r : plan.runs()) {
            String reusedFrom = plan.reusedFrom().get(r.runId());
            runs.add(RunEntity.of(r, reusedFrom, now));
            if (reusedFrom == null) {
                // the payload as published is kept in its outbox row only
                records.add(DesignEvents.event(EventType.RunPlanned, r.runId(),
                        DesignEvents.runPlanned(r, d.submittedBy)));
            }
        }
        runWriter.insertAll(runs);
        records.add(DesignEvents.event(EventType.DesignAccepted, d.designId, DesignEvents.designAccepted(
                d.designId, d.name, d.submittedBy, d.randomSeed, plan.quote(),
                plan.runsToPlan().stream().map(PlannedRun::runId).toList(), plan.reusedFrom())));
        outbox.append(records);
        metrics.designAccepted(d.designId, d.runCount, plan.quote().totalUsd());
        LOG.infof("accepted design %s: %d runs (%d reused), quote %.2f USD (budget %.2f); planned in %d ms, "
                        + "written in %d ms", d.designId, d.runCount, d.reusedRuns, plan.quote().totalUsd(),
                plan.quote().budgetUsd(), planningNanos / 1_000_000, (System.nanoTime() - storing) / 1_000_000);
        return d;
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
}
