package io.sagebench.results.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sagebench.results.domain.Analysis;
import io.sagebench.results.domain.Progress;
import io.sagebench.results.domain.RunRecord;
import io.sagebench.results.domain.SeedCsv;
import io.sagebench.results.messaging.EventPayloads;
import io.sagebench.results.repository.DesignEntity;
import io.sagebench.results.repository.DesignViews;
import io.sagebench.results.repository.RunPlanEntity;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What users read: designs, their progress, their priced results as JSON or in the study's CSV layout. */
@Path("/designs")
@Produces(MediaType.APPLICATION_JSON)
public class DesignResultsResource {

    @Inject
    DesignViews views;
    @Inject
    ObjectMapper json;

    @GET
    public ArrayNode designs() {
        ArrayNode list = json.createArrayNode();
        for (DesignEntity d : views.designs()) {
            ObjectNode n = list.addObject();
            n.put("designId", d.designId);
            n.put("name", d.name);
            n.put("runCount", d.runCount);
            n.put("acceptedAt", d.acceptedAt == null ? null : d.acceptedAt.toString());
            n.put("completedAt", d.completedAt == null ? null : d.completedAt.toString());
        }
        return list;
    }

    @GET
    @Path("{designId}/progress")
    public Progress progress(@PathParam("designId") String designId) {
        return views.progress(designId).orElseThrow(() -> unknown(designId));
    }

    @GET
    @Path("{designId}/results")
    public ArrayNode results(@PathParam("designId") String designId) {
        requireKnown(designId);
        ArrayNode list = json.createArrayNode();
        for (RunRecord r : views.results(designId)) {
            list.add(EventPayloads.runResult(r));
        }
        return list;
    }

    @GET
    @Path("{designId}/analysis")
    public Analysis analysis(@PathParam("designId") String designId) {
        requireKnown(designId);
        return Analysis.of(designId, views.results(designId));
    }

    @GET
    @Path("{designId}/results.csv")
    @Produces("text/csv")
    public Response resultsCsv(@PathParam("designId") String designId) {
        requireKnown(designId);
        List<RunPlanEntity> plans = views.plans(designId);
        Map<String, Double> quoted = new HashMap<>();
        plans.forEach(p -> quoted.put(p.runId, p.quoteHourlyPrice));
        String csv = SeedCsv.write(plans.stream().map(RunPlanEntity::toDomain).toList(), views.results(designId), quoted);
        return Response.ok(csv, "text/csv")
                .header("Content-Disposition", "attachment; filename=\"" + designId + "-results.csv\"").build();
    }

    private void requireKnown(String designId) {
        if (!views.exists(designId)) {
            throw unknown(designId);
        }
    }

    static NotFoundException unknown(String designId) {
        return new NotFoundException(Response.status(Response.Status.NOT_FOUND).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", "unknown design " + designId
                        + ": results-service has seen no DesignAccepted, RunPlanned, launch or job state for it",
                        "designId", designId))
                .build());
    }
}
