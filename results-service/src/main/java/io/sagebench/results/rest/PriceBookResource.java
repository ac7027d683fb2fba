package io.sagebench.results.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sagebench.results.client.PriceBookRefresher;
import io.sagebench.contracts.catalog.PriceBook;
import io.sagebench.results.domain.PriceList;
import io.sagebench.results.repository.PriceBookStore;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;

import java.util.Map;

/** The price-book versions, and the operator's refresh from the AWS Price List API. */
@Path("/price-books")
@Produces(MediaType.APPLICATION_JSON)
public class PriceBookResource {

    private static final Logger LOG = Logger.getLogger(PriceBookResource.class);

    @Inject
    PriceBookStore store;
    @Inject
    PriceBookRefresher refresher;
    @Inject
    ObjectMapper json;
    @Inject
    JsonWebToken caller;

    /** Every version, newest first, with its prices. */
    @GET
    @RolesAllowed({"viewer", "designer", "operator"})
    public ArrayNode versions() {
        ArrayNode list = json.createArrayNode();
        for (PriceBook.Version v : store.versions()) {
            ObjectNode n = list.addObject();
            n.put("version", v.version());
            n.put("effectiveFrom", v.effectiveFrom().toString());
            ObjectNode prices = n.putObject("prices");
            v.prices().forEach((region, byType) -> {
                ObjectNode r = prices.putObject(region);
                byType.forEach(r::put);
            });
        }
        return list;
    }

    /**
     * Reads the on-demand training prices from the Price List API; stores a new version effective today only if a
     * price changed. 200 either way (created true/false, the changes, the entries skipped); 502 if the API cannot be
     * read.
     */
    @POST
    @Path("refresh")
    @RolesAllowed("operator")
    public Response refresh() {
        LOG.infof("price-book refresh asked by %s", caller.getName());
        PriceBookRefresher.Outcome o;
        try {
            o = refresher.refresh();
        } catch (SdkException e) {
            LOG.warnf("price-book refresh failed: %s", e.toString());
            return Response.status(Response.Status.BAD_GATEWAY).type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("error", "the AWS Price List API could not be read; the price book is unchanged",
                            "cause", e.getClass().getSimpleName()))
                    .build();
        }
        ObjectNode n = json.createObjectNode();
        n.put("created", o.created());
        n.put("version", o.version());
        n.put("effectiveFrom", o.effectiveFrom() == null ? null : o.effectiveFrom().toString());
        n.put("documentsRead", o.documentsRead());
        n.put("pagesRead", o.pagesRead());
        n.put("trainingPricesRead", o.trainingPricesRead());
        ArrayNode changes = n.putArray("changes");
        for (PriceList.Change c : o.changes()) {
            ObjectNode ch = changes.addObject().put("region", c.region()).put("instanceType", c.instanceType());
            ch.put("before", c.before());
            ch.put("after", c.after());
        }
        ArrayNode skipped = n.putArray("skipped");
        o.skipped().forEach(skipped::add);
        return Response.ok(n).build();
    }
}
