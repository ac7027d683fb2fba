package io.sagebench.results.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sagebench.results.app.DesignQueries;
import io.sagebench.results.domain.Analysis;
import io.sagebench.contracts.catalog.PriceBook;
import io.sagebench.results.domain.Pricing;
import io.sagebench.results.domain.Progress;
import io.sagebench.results.domain.RunRecord;
import io.sagebench.results.domain.SeedCsv;
import io.sagebench.results.messaging.EventPayloads;
import io.sagebench.results.repository.DesignEntity;
import io.sagebench.results.repository.PriceBookStore;
import io.sagebench.results.repository.RunPlanEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import org.jboss.resteasy.reactive.RestStreamElementType;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What users read: designs, their progress, their priced results as JSON or in the study's CSV layout. Reads need a
 * viewer token (or designer, operator); re-pricing needs operator (docs/security.md).
 */
@Path("/designs")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"viewer", "designer", "operator"})
public class DesignResultsResource {

    @Inject
    DesignQueries views;
    @Inject
    ObjectMapper json;
    @Inject
    PriceBookStore priceBooks;

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

    /** Server-sent events: the design's progress, sent when it changes (checked every second). */
    @GET
    @Path("{designId}/progress/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Blocking // the existence check reads the database; the ticks then run on worker threads
    public Multi<Progress> progressStream(@PathParam("designId") String designId) {
        requireKnown(designId);
        return Multi.createFrom().ticks().every(Duration.ofSeconds(1))
                .emitOn(Infrastructure.getDefaultWorkerPool())
                // Its own transaction: the ticks run outside the request that opened the stream.
                .map(tick -> QuarkusTransaction.requiringNew().call(() -> views.progress(designId).orElseThrow()))
                .select().distinct()
                .onOverflow().drop();
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
    public Analysis analysis(@PathParam("designId") String designId,
                             @QueryParam("kneeFraction") @DefaultValue("0.25") double kneeFraction) {
        requireKnown(designId);
        return Analysis.of(designId, views.results(designId), kneeFraction);
    }

    /** e.g. {@code cheapest?minF1=0.93&maxHours=2}: the cheapest cell meeting the bounds, or null. */
    @GET
    @Path("{designId}/recommendations/cheapest")
    public ObjectNode cheapest(@PathParam("designId") String designId, @QueryParam("minF1") Double minF1,
                               @QueryParam("maxHours") Double maxHours, @QueryParam("datasetSize") Integer datasetSize) {
        requireKnown(designId);
        Analysis a = Analysis.of(designId, views.results(designId));
        ObjectNode bounds = json.createObjectNode();
        putIfSet(bounds, "minF1", minF1);
        putIfSet(bounds, "maxHours", maxHours);
        putIfSet(bounds, "datasetSize", datasetSize == null ? null : datasetSize.doubleValue());
        return recommendation("cheapest", a.cheapest(minF1, maxHours, datasetSize).orElse(null), bounds);
    }

    /** e.g. {@code fastest?maxUsd=100}: the fastest cell within the budget, or null. */
    @GET
    @Path("{designId}/recommendations/fastest")
    public ObjectNode fastest(@PathParam("designId") String designId, @QueryParam("maxUsd") Double maxUsd,
                              @QueryParam("minF1") Double minF1, @QueryParam("datasetSize") Integer datasetSize) {
        requireKnown(designId);
        Analysis a = Analysis.of(designId, views.results(designId));
        ObjectNode bounds = json.createObjectNode();
        putIfSet(bounds, "maxUsd", maxUsd);
        putIfSet(bounds, "minF1", minF1);
        putIfSet(bounds, "datasetSize", datasetSize == null ? null : datasetSize.doubleValue());
        return recommendation("fastest", a.fastest(maxUsd, minF1, datasetSize).orElse(null), bounds);
    }

    private static void putIfSet(ObjectNode node, String name, Double value) {
        if (value != null) {
            node.put(name, value);
        }
    }

    private ObjectNode recommendation(String query, Analysis.Cell cell, ObjectNode bounds) {
        ObjectNode n = json.createObjectNode();
        n.put("query", query);
        n.set("bounds", bounds);
        n.set("recommendation", cell == null ? null : json.valueToTree(cell));
        if (cell == null) {
            n.put("reason", "no completed cell of this design meets the bounds");
        }
        return n;
    }

    /**
     * Re-prices a design's results with another price-book version. The answer is computed; the stored records and
     * the published RunResults keep the price they were made with.
     */
    @POST
    @Path("{designId}/reprice")
    @RolesAllowed("operator")
    public ArrayNode reprice(@PathParam("designId") String designId, @QueryParam("book") String book) {
        requireKnown(designId);
        PriceBook priceBook = priceBooks.current();
        if (book == null || !priceBook.hasVersion(book)) {
            throw new BadRequestException(Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("error", "query parameter book must name a price-book version",
                            "versions", priceBook.versions().stream().map(PriceBook.Version::version).toList()))
                    .build());
        }
        Map<String, String> regionByRun = new HashMap<>();
        views.plans(designId).forEach(p -> regionByRun.put(p.runId, p.region));
        ArrayNode out = json.createArrayNode();
        for (RunRecord r : views.results(designId)) {
            ObjectNode n = out.addObject();
            n.put("runId", r.runId());
            n.put("billableSeconds", r.billableSeconds());
            n.put("attempts", r.attempts());
            n.put("failedAttemptsBillableSeconds", r.failedAttemptsBillableSeconds());
            n.put("instanceCount", r.instanceCount());
            n.put("instanceType", r.instanceType());
            n.put("originalPriceBookVersion", r.priceBookVersion());
            n.put("originalCostUsd", r.costUsd());
            String region = regionByRun.getOrDefault(r.runId(), "us-east-1");
            priceBook.priceIn(book, region, r.instanceType()).ifPresentOrElse(price -> {
                n.put("priceBookVersion", price.version());
                n.put("hourlyPriceUsd", price.hourlyUsd());
                // Every attempt ran on the run's cluster: the failed ones are re-priced with the final one.
                n.put("costUsd", Pricing.cost(r.billableSeconds() + r.failedAttemptsBillableSeconds(),
                        price.hourlyUsd(), r.instanceCount()));
            }, () -> n.put("error", "price book " + book + " has no price for " + r.instanceType() + " in " + region));
        }
        return out;
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
