package io.sagebench.results.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebench.results.domain.PriceList.ListedPrice;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * The AWS Price List's SageMaker documents (GetProducts, ServiceCode AmazonSageMaker; each PriceList entry is one JSON
 * document as a string), read into on-demand training prices.
 */
public final class PriceListDocuments {

    /** An entry that is not a readable Price List document (it is skipped with a warning, never fatal). */
    public static final class UnreadableEntryException extends RuntimeException {
        UnreadableEntryException(String message) {
            super(message);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Location names the Price List uses, for documents without regionCode. */
    private static final Map<String, String> REGION_BY_LOCATION = Map.of(
            "US East (N. Virginia)", "us-east-1", "US East (Ohio)", "us-east-2", "US West (N. California)", "us-west-1",
            "US West (Oregon)", "us-west-2", "EU (Ireland)", "eu-west-1", "EU (Frankfurt)", "eu-central-1",
            "Asia Pacific (Tokyo)", "ap-northeast-1", "Asia Pacific (Singapore)", "ap-southeast-1");

    /**
     * @return the document's on-demand training price, or empty when it prices something else (hosting, notebooks,
     * storage…)
     * @throws UnreadableEntryException when it is not a Price List document with what a training price needs
     */
    public static Optional<ListedPrice> read(String entry) {
        JsonNode doc;
        try {
            doc = JSON.readTree(entry);
        } catch (JsonProcessingException e) {
            throw new UnreadableEntryException("not JSON: " + e.getOriginalMessage());
        }
        JsonNode attributes = doc == null ? null : doc.path("product").path("attributes");
        if (attributes == null || !attributes.isObject()) {
            throw new UnreadableEntryException("no product.attributes");
        }
        String usageType = attributes.path("usagetype").asText("");
        boolean training = usageType.contains("Train:") || "Training".equals(attributes.path("component").asText());
        if (!training) {
            return Optional.empty();
        }
        String instanceType = attributes.path("instanceName").asText(null);
        if (instanceType == null) {
            String t = attributes.path("instanceType").asText(null); // older documents: "ml.p3.2xlarge-Training"
            instanceType = t != null ? t.replaceFirst("-Training$", "")
                    : usageType.contains("Train:") ? usageType.substring(usageType.indexOf("Train:") + 6) : null;
        }
        if (instanceType == null || !instanceType.startsWith("ml.")) {
            throw new UnreadableEntryException("no ml.* instance name (instanceName, instanceType, usagetype)");
        }
        String region = attributes.path("regionCode").asText(null);
        if (region == null) {
            region = REGION_BY_LOCATION.get(attributes.path("location").asText(""));
        }
        if (region == null) {
            throw new UnreadableEntryException(instanceType + ": no regionCode and an unknown location");
        }
        return Optional.of(new ListedPrice(region, instanceType, onDemandHourly(doc, instanceType)));
    }

    /** terms.OnDemand.&lt;term&gt;.priceDimensions.&lt;rate&gt;.pricePerUnit.USD of the hourly dimension. */
    private static BigDecimal onDemandHourly(JsonNode doc, String instanceType) {
        for (Iterator<JsonNode> terms = doc.path("terms").path("OnDemand").elements(); terms.hasNext(); ) {
            for (Iterator<JsonNode> dims = terms.next().path("priceDimensions").elements(); dims.hasNext(); ) {
                JsonNode d = dims.next();
                String unit = d.path("unit").asText("");
                String usd = d.path("pricePerUnit").path("USD").asText(null);
                if (usd != null && (unit.equalsIgnoreCase("Hrs") || unit.equalsIgnoreCase("Hours"))) {
                    try {
                        BigDecimal price = new BigDecimal(usd);
                        if (price.signum() > 0) {
                            return price.stripTrailingZeros();
                        }
                    } catch (NumberFormatException e) {
                        throw new UnreadableEntryException(instanceType + ": pricePerUnit.USD is not a number: " + usd);
                    }
                }
            }
        }
        throw new UnreadableEntryException(instanceType + ": no positive hourly terms.OnDemand price in USD");
    }

    private PriceListDocuments() {
    }
}
