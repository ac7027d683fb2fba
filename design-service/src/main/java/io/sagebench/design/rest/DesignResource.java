package io.sagebench.design.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sagebench.design.domain.DesignService;
import io.sagebench.design.domain.DesignService.SubmitOutcome;
import io.sagebench.design.domain.Plan;
import io.sagebench.design.domain.PlannedRun;
import io.sagebench.design.domain.SeedCsvImporter;
import io.sagebench.design.domain.ValidationError;
import io.sagebench.design.messaging.EventFactory;
import io.sagebench.design.repository.DesignEntity;
import io.sagebench.design.repository.RunEntity;
import io.sagebench.design.domain.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

/**
 * The design REST API (docs/security.md): reads need viewer, designer or operator; submit, import and preview need
 * designer or operator; cancel needs the design's own designer or an operator. The caller (the token's name) is the
 * design's submittedBy.
 */
@Path("/designs")
@Produces(MediaType.APPLICATION_JSON)
public class DesignResource {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Inject
    DesignService service;
    @Inject
    JsonWebToken jwt;

    private Caller caller() {
        return new Caller(jwt.getName(), jwt.getGroups());
    }

    /**
     * 201 with the plan summary; 200 with the same body when the identical design already exists; 409 when the id
     * is taken by other content; 400 with every error.
     */
    @POST
    @RolesAllowed({Caller.DESIGNER, Caller.OPERATOR})
    @Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN, MediaType.WILDCARD})
    public Response submit(String body) {
        return respond(submitOnce(body));
    }

    /**
     * Imports one of the seed study's CSV design formats (the raw 15-run design with coded num_nodes, or the 25-run
     * table) as a design with one cell per row, in the CSV's order; then it is submitted like POST /designs.
     */
    @POST
    @RolesAllowed({Caller.DESIGNER, Caller.OPERATOR})
    @Path("/import")
    @Consumes({"text/csv", MediaType.TEXT_PLAIN, MediaType.WILDCARD})
    public Response importCsv(String csv, @QueryParam("designId") String designId, @QueryParam("name") String name,
                              @QueryParam("budgetUsd") Double budgetUsd, @QueryParam("randomSeed") Long randomSeed,
                              @QueryParam("samplesSeen") Long samplesSeen, @QueryParam("region") String region) {
        ObjectNode design;
        try {
            design = SeedCsvImporter.toDesign(csv == null ? "" : csv,
                    new SeedCsvImporter.Options(designId, name, budgetUsd, randomSeed, samplesSeen, region));
        } catch (SeedCsvImporter.ImportException e) {
            return Response.status(Response.Status.BAD_REQUEST).entity(errors(e.errors())).build();
        }
        return respond(submitOnce(design.toString()));
    }

    private SubmitOutcome submitOnce(String body) {
        SubmitOutcome outcome;
        try {
            outcome = service.submit(body, caller());
        } catch (RuntimeException e) {
            if (!isConstraintViolation(e)) {
                throw e;
            }
            // Two identical designs posted at once: one insert lost the race; the retry finds the winner.
            outcome = service.submit(body, caller());
        }
        return outcome;
    }

    private static Response respond(SubmitOutcome outcome) {
        return switch (outcome.kind()) {
            case ACCEPTED -> Response.status(Response.Status.CREATED)
                    .header("Location", "/designs/" + outcome.designId())
                    .entity(DesignService.summary(outcome.design(), outcome.runIds())).build();
            case DUPLICATE, ALREADY_PROCESSED -> Response.ok(DesignService.summary(outcome.design(), outcome.runIds())).build();
            case CONFLICT -> Response.status(Response.Status.CONFLICT).entity(errors(outcome.errors())).build();
            case REJECTED -> Response.status(Response.Status.BAD_REQUEST).entity(errors(outcome.errors())).build();
        };
    }

    /** Validates, expands and quotes without storing anything. */
    @POST
    @RolesAllowed({Caller.DESIGNER, Caller.OPERATOR})
    @Path("/preview")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN, MediaType.WILDCARD})
    public Response preview(String body) {
        Plan plan = service.preview(body, caller());
        if (!plan.valid()) {
            ObjectNode err = errors(plan.errors());
            if (plan.quote() != null) {
                err.set("quote", EventFactory.quote(plan.quote()));
            }
            return Response.status(Response.Status.BAD_REQUEST).entity(err).build();
        }
        ObjectNode n = MAPPER.createObjectNode();
        n.put("designId", plan.designId());
        n.put("runCount", plan.runsToPlan().size());
        n.put("randomSeed", plan.randomSeed());
        n.set("quote", EventFactory.quote(plan.quote()));
        ArrayNode runs = n.putArray("runs");
        for (PlannedRun r : plan.runs()) {
            ObjectNode run = EventFactory.runPlanned(r, plan.design().submittedBy());
            if (plan.reusedFrom().containsKey(r.runId())) {
                run.put("reusedFrom", plan.reusedFrom().get(r.runId()));
            }
            runs.add(run);
        }
        return Response.ok(n).build();
    }

    @GET
    @RolesAllowed({Caller.VIEWER, Caller.DESIGNER, Caller.OPERATOR})
    public ArrayNode list() {
        ArrayNode out = MAPPER.createArrayNode();
        for (DesignEntity d : service.list()) {
            out.add(header(d));
        }
        return out;
    }

    @GET
    @RolesAllowed({Caller.VIEWER, Caller.DESIGNER, Caller.OPERATOR})
    @Path("/{designId}")
    public Response get(@PathParam("designId") String designId) {
        DesignEntity d = service.find(designId);
        if (d == null) {
            return notFound(designId);
        }
        ObjectNode n = header(d);
        try {
            n.set("design", MAPPER.readTree(d.contentJson));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        ArrayNode runs = n.putArray("runs");
        for (RunEntity r : service.runsOf(designId)) {
            ObjectNode run = runs.addObject();
            run.put("runId", r.runId).put("cellId", r.cellId).put("sequence", r.sequence).put("replicate", r.replicate)
                    .put("status", r.status).put("instanceType", r.instanceType).put("instanceCount", r.instanceCount)
                    .put("datasetSize", r.datasetSize);
            if (r.reusedFrom != null) {
                run.put("reusedFrom", r.reusedFrom);
            }
            run.putObject("quote").put("seconds", r.quoteSeconds).put("usd", r.quoteUsd.doubleValue());
        }
        return Response.ok(n).build();
    }

    @POST
    @RolesAllowed({Caller.DESIGNER, Caller.OPERATOR})
    @Path("/{designId}/cancel")
    public Response cancel(@PathParam("designId") String designId, String body) {
        String reason = null;
        if (body != null && !body.isBlank()) {
            try {
                JsonNode b = MAPPER.readTree(body);
                reason = b.path("reason").asText(null);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                return Response.status(Response.Status.BAD_REQUEST)
                        .entity(errors(List.of(new ValidationError("$", "malformed JSON: " + e.getOriginalMessage()))))
                        .build();
            } catch (java.io.IOException e) {
                return Response.status(Response.Status.BAD_REQUEST)
                        .entity(errors(List.of(new ValidationError("$", "unreadable body")))).build();
            }
        }
        DesignService.CancelOutcome outcome = service.cancel(designId, reason, caller());
        if (!outcome.found()) {
            return notFound(designId);
        }
        if (outcome.forbidden()) {
            return Response.status(Response.Status.FORBIDDEN).entity(errors(List.of(new ValidationError("$.designId",
                    "only the design's submitter or an operator may cancel " + designId,
                    DesignService.CANCEL_NOT_ALLOWED)))).build();
        }
        ObjectNode n = MAPPER.createObjectNode();
        n.put("designId", designId);
        n.put("status", outcome.status());
        n.set("cancelledRunIds", MAPPER.valueToTree(outcome.cancelledRunIds()));
        return Response.accepted(n).build();
    }

    private static ObjectNode header(DesignEntity d) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("designId", d.designId);
        n.put("name", d.name);
        n.put("status", d.status);
        n.put("runCount", d.runCount);
        n.put("randomSeed", d.randomSeed);
        n.set("quote", EventFactory.quote(DesignService.quoteOf(d)));
        n.put("createdAt", d.createdAt.toString());
        return n;
    }

    private static Response notFound(String designId) {
        return Response.status(Response.Status.NOT_FOUND)
                .entity(errors(List.of(new ValidationError("$.designId", "no design " + designId)))).build();
    }

    static ObjectNode errors(List<ValidationError> errors) {
        ObjectNode n = MAPPER.createObjectNode();
        n.set("errors", EventFactory.errors(errors));
        return n;
    }

    private static boolean isConstraintViolation(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof java.sql.SQLIntegrityConstraintViolationException
                    || c instanceof org.hibernate.exception.ConstraintViolationException) {
                return true;
            }
        }
        return false;
    }
}
