package io.sagebench.design.rest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sagebench.design.app.DesignEvents;
import io.sagebench.design.domain.Plan;
import io.sagebench.design.domain.PlannedRun;
import io.sagebench.design.domain.ValidationError;
import io.sagebench.design.repository.DesignEntity;
import io.sagebench.design.repository.RunEntity;

/** The JSON bodies of the design REST API. */
final class DesignViews {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DesignViews() {
    }

    /** The body shared by POST /designs (201 and 200): what the design became. */
    static ObjectNode summary(DesignEntity d, List<String> runIds) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("designId", d.designId);
        n.put("runCount", d.runCount);
        n.set("runIds", MAPPER.valueToTree(runIds));
        n.set("quote", DesignEvents.quote(d.quote()));
        n.put("randomSeed", d.randomSeed);
        if (d.reusedRuns > 0) {
            n.put("reusedRuns", d.reusedRuns);
        }
        return n;
    }

    /** POST /designs/preview: the runs as they would be planned, each marked when it is reused. */
    static ObjectNode preview(Plan plan) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("designId", plan.designId());
        n.put("runCount", plan.runsToPlan().size());
        n.put("randomSeed", plan.randomSeed());
        n.set("quote", DesignEvents.quote(plan.quote()));
        ArrayNode runs = n.putArray("runs");
        for (PlannedRun r : plan.runs()) {
            ObjectNode run = DesignEvents.runPlanned(r, plan.design().submittedBy());
            if (plan.reusedFrom().containsKey(r.runId())) {
                run.put("reusedFrom", plan.reusedFrom().get(r.runId()));
            }
            runs.add(run);
        }
        return n;
    }

    /** A rejected preview: its errors, and the quote when the design got as far as one. */
    static ObjectNode rejectedPreview(Plan plan) {
        ObjectNode err = errors(plan.errors());
        if (plan.quote() != null) {
            err.set("quote", DesignEvents.quote(plan.quote()));
        }
        return err;
    }

    /** An entry of GET /designs. */
    static ObjectNode header(DesignEntity d) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("designId", d.designId);
        n.put("name", d.name);
        n.put("status", d.status);
        n.put("runCount", d.runCount);
        n.put("randomSeed", d.randomSeed);
        n.set("quote", DesignEvents.quote(d.quote()));
        n.put("createdAt", d.createdAt.toString());
        return n;
    }

    /** GET /designs/{id}: the header, the design as stored, and its runs. */
    static ObjectNode detail(DesignEntity d, List<RunEntity> runEntities) {
        ObjectNode n = header(d);
        try {
            n.set("design", MAPPER.readTree(d.contentJson));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ArrayNode runs = n.putArray("runs");
        for (RunEntity r : runEntities) {
            ObjectNode run = runs.addObject();
            run.put("runId", r.runId).put("cellId", r.cellId).put("sequence", r.sequence).put("replicate", r.replicate)
                    .put("status", r.status).put("instanceType", r.instanceType).put("instanceCount", r.instanceCount)
                    .put("datasetSize", r.datasetSize);
            if (r.reusedFrom != null) {
                run.put("reusedFrom", r.reusedFrom);
            }
            run.putObject("quote").put("seconds", r.quoteSeconds).put("usd", r.quoteUsd.doubleValue());
        }
        return n;
    }

    /** POST /designs/{id}/cancel, 202. */
    static ObjectNode cancelled(String designId, String status, List<String> cancelledRunIds) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("designId", designId);
        n.put("status", status);
        n.set("cancelledRunIds", MAPPER.valueToTree(cancelledRunIds));
        return n;
    }

    /** The error body of every 4xx: {@code {errors: [{path, message, rule}]}}. */
    static ObjectNode errors(List<ValidationError> errors) {
        ObjectNode n = MAPPER.createObjectNode();
        n.set("errors", DesignEvents.errors(errors));
        return n;
    }
}
