package io.sagebench.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Price List stand-in on the wire: the real document shape, filters, paging and errors. */
class PriceListStandInTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private PriceListStandIn standIn;

    @BeforeEach
    void start() throws Exception {
        standIn = PriceListStandIn.start(0).withSeedPrices();
    }

    @AfterEach
    void stop() {
        standIn.close();
    }

    private HttpResponse<String> call(String operation, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(standIn.endpoint().resolve("/"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "AWSPriceListService." + operation)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void getProductsAnswersPriceListDocumentsAsJsonStrings() throws Exception {
        HttpResponse<String> r = call("GetProducts", """
                {"ServiceCode":"AmazonSageMaker","FormatVersion":"aws_v1","MaxResults":100,
                 "Filters":[{"Type":"TERM_MATCH","Field":"regionCode","Value":"us-east-1"},
                            {"Type":"TERM_MATCH","Field":"instanceName","Value":"ml.p3.2xlarge"}]}""");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode answer = JSON.readTree(r.body());
        assertEquals("aws_v1", answer.path("FormatVersion").asText());
        assertEquals(1, answer.path("PriceList").size());
        assertTrue(answer.path("PriceList").get(0).isTextual(), "each entry is a JSON string");
        JsonNode doc = JSON.readTree(answer.path("PriceList").get(0).asText());
        JsonNode attributes = doc.path("product").path("attributes");
        assertEquals("ml.p3.2xlarge", attributes.path("instanceName").asText());
        assertEquals("USE1-Train:ml.p3.2xlarge", attributes.path("usagetype").asText());
        assertEquals("US East (N. Virginia)", attributes.path("location").asText());
        JsonNode term = doc.path("terms").path("OnDemand").elements().next();
        JsonNode dimension = term.path("priceDimensions").elements().next();
        assertEquals("Hrs", dimension.path("unit").asText());
        assertEquals(3.825, dimension.path("pricePerUnit").path("USD").asDouble(), 1e-9);
        assertFalse(answer.has("NextToken"), "one page");
    }

    @Test
    void pagesFollowNextTokenAndAChangedPriceShows() throws Exception {
        standIn.setPrice("us-east-1", "ml.p3.2xlarge", "3.06");
        List<String> types = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String body = "{\"ServiceCode\":\"AmazonSageMaker\",\"MaxResults\":3"
                    + (token == null ? "" : ",\"NextToken\":\"" + token + "\"") + "}";
            JsonNode answer = JSON.readTree(call("GetProducts", body).body());
            for (JsonNode entry : answer.path("PriceList")) {
                JsonNode doc = JSON.readTree(entry.asText());
                types.add(doc.path("product").path("attributes").path("instanceName").asText());
                if ("ml.p3.2xlarge".equals(types.get(types.size() - 1))) {
                    assertEquals("3.0600000000", doc.path("terms").path("OnDemand").elements().next()
                            .path("priceDimensions").elements().next().path("pricePerUnit").path("USD").asText());
                }
            }
            token = answer.path("NextToken").asText(null);
            pages++;
        } while (token != null);
        assertEquals(8, types.size(), "every seed price once: " + types);
        assertEquals(3, pages, "8 products at 3 a page");
        assertEquals(3, standIn.getProductsCalls());
        standIn.pageSize(5);
        JsonNode capped = JSON.readTree(call("GetProducts", "{\"ServiceCode\":\"AmazonSageMaker\",\"MaxResults\":100}").body());
        assertEquals(5, capped.path("PriceList").size(), "the stand-in's page size caps MaxResults");
        assertTrue(capped.has("NextToken"));
    }

    @Test
    void rawEntriesComeAfterThePricedProducts() throws Exception {
        standIn.clear().setPrice("us-west-2", "ml.g5.xlarge", "1.5").addRawEntry("{not a price list document");
        JsonNode answer = JSON.readTree(call("GetProducts", "{\"ServiceCode\":\"AmazonSageMaker\"}").body());
        assertEquals(2, answer.path("PriceList").size());
        assertEquals("{not a price list document", answer.path("PriceList").get(1).asText());
    }

    @Test
    void errorsAreAwsShaped() throws Exception {
        HttpResponse<String> bad = call("GetProducts", "{\"ServiceCode\":\"AmazonSageMaker\",\"NextToken\":\"nope\"}");
        assertEquals(400, bad.statusCode());
        assertEquals("InvalidNextTokenException", JSON.readTree(bad.body()).path("__type").asText());
        HttpResponse<String> unknown = call("GetAttributeValues", "{}");
        assertEquals("UnknownOperationException", JSON.readTree(unknown.body()).path("__type").asText());
        JsonNode services = JSON.readTree(call("DescribeServices", "{\"ServiceCode\":\"AmazonSageMaker\"}").body());
        assertEquals("AmazonSageMaker", services.path("Services").get(0).path("ServiceCode").asText());
    }

    @Test
    void unknownRegionIsRefused() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> standIn.setPrice("mars-1", "ml.p3.2xlarge", "1"));
        assertEquals(URI.create("http://127.0.0.1:" + standIn.endpoint().getPort()), standIn.endpoint());
    }
}
