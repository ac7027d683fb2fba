package io.sagebench.design.rest;

import java.io.IOException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.hibernate.exception.ConstraintViolationException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sagebench.design.app.Caller;
import io.sagebench.design.app.DesignCancellation;
import io.sagebench.design.app.DesignCancellation.CancelOutcome;
import io.sagebench.design.app.DesignQueries;
import io.sagebench.design.app.DesignSubmissions;
import io.sagebench.design.app.DesignSubmissions.SubmitOutcome;
import io.sagebench.design.app.SeedCsvImporter;
import io.sagebench.design.domain.Plan;
import io.sagebench.design.domain.ValidationError;
import io.sagebench.design.repository.DesignEntity;

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
    DesignSubmissions submissions;
    @Inject
    DesignCancellation cancellation;
    @Inject
    DesignQueries queries;
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
            outcome = submissions.submit(body, caller());
        } catch (RuntimeException e) {
            if (!isConstraintViolation(e)) {
                throw e;
            }
            // Two identical designs posted at once: one insert lost the race; the retry finds the winner.
            outcome = submissions.submit(body, caller());
        }
        return outcome;
    }

    private static Response respond(SubmitOutcome outcome) {
        return switch (outcome.kind()) {
            case ACCEPTED -> Response.status(Response.Status.CREATED)
                    .header("Location", "/designs/" + outcome.designId())
                    .entity(DesignViews.summary(outcome.design(), outcome.runIds())).build();
            case DUPLICATE, ALREADY_PROCESSED -> Response.ok(DesignViews.summary(outcome.design(), outcome.runIds())).build();
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
        Plan plan = submissions.preview(body, caller());
        if (!plan.valid()) {
            return Response.status(Response.Status.BAD_REQUEST).entity(DesignViews.rejectedPreview(plan)).build();
        }
        return Response.ok(DesignViews.preview(plan)).build();
    }

    @GET
    @RolesAllowed({Caller.VIEWER, Caller.DESIGNER, Caller.OPERATOR})
    public ArrayNode list() {
        ArrayNode out = MAPPER.createArrayNode();
        for (DesignEntity d : queries.list()) {
            out.add(DesignViews.header(d));
        }
        return out;
    }

    @GET
    @RolesAllowed({Caller.VIEWER, Caller.DESIGNER, Caller.OPERATOR})
    @Path("/{designId}")
    public Response get(@PathParam("designId") String designId) {
        DesignEntity d = queries.find(designId);
        if (d == null) {
            return notFound(designId);
        }
        return Response.ok(DesignViews.detail(d, queries.runsOf(designId))).build();
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
            } catch (JsonProcessingException e) {
                return Response.status(Response.Status.BAD_REQUEST)
                        .entity(errors(List.of(new ValidationError("$", "malformed JSON: " + e.getOriginalMessage()))))
                        .build();
            } catch (IOException e) {
                return Response.status(Response.Status.BAD_REQUEST)
                        .entity(errors(List.of(new ValidationError("$", "unreadable body")))).build();
            }
        }
        CancelOutcome outcome = cancellation.cancel(designId, reason, caller());
        if (!outcome.found()) {
            return notFound(designId);
        }
        if (outcome.forbidden()) {
            return Response.status(Response.Status.FORBIDDEN).entity(errors(List.of(new ValidationError("$.designId",
                    "only the design's submitter or an operator may cancel " + designId,
                    DesignCancellation.CANCEL_NOT_ALLOWED)))).build();
        }
        return Response.accepted(DesignViews.cancelled(designId, outcome.status(), outcome.cancelledRunIds()))
                .build();
    }

    private static Response notFound(String designId) {
        return Response.status(Response.Status.NOT_FOUND)
                .entity(errors(List.of(new ValidationError("$.designId", "no design " + designId)))).build();
    }

    static ObjectNode errors(List<ValidationError> errors) {
        return DesignViews.errors(errors);
    }

    private static boolean isConstraintViolation(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLIntegrityConstraintViolationException || c instanceof ConstraintViolationException) {
                return true;
            }
        }
        return false;
    }
}
