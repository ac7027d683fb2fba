package io.sagebench.results.client;

import io.sagebench.platform.aws.AwsCallMetrics;
import io.sagebench.platform.aws.AwsClients;
import io.sagebench.platform.aws.AwsConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import software.amazon.awssdk.services.pricing.PricingClient;
import software.amazon.awssdk.services.pricing.model.Filter;
import software.amazon.awssdk.services.pricing.model.FilterType;
import software.amazon.awssdk.services.pricing.model.GetProductsRequest;
import software.amazon.awssdk.services.pricing.model.GetProductsResponse;

import java.util.ArrayList;
import java.util.List;

/**
 * The AWS Price List Query API through the unmodified SDK v2 PricingClient (endpoint us-east-1, overridden only when
 * configured): every SageMaker product document of a region, all pages. Built on first use.
 */
@ApplicationScoped
public class PriceListClient {

    public static final String SERVICE_CODE = "AmazonSageMaker";

    /** The documents of one region, and how many pages it took. */
    public record Listing(List<String> documents, int pages) {
    }

    @Inject
    AwsConfig config;
    @Inject
    AwsCallMetrics metrics;

    private volatile PricingClient client;

    /** GetProducts for ServiceCode AmazonSageMaker, ML instances of {@code region}, following NextToken to the end. */
    public Listing sageMakerInstances(String region) {
        GetProductsRequest request = GetProductsRequest.builder().serviceCode(SERVICE_CODE).formatVersion("aws_v1")
                .maxResults(100)
                .filters(term("regionCode", region), term("productFamily", "ML Instance"))
                .build();
        List<String> documents = new ArrayList<>();
        int pages = 0;
        for (GetProductsResponse page : client().getProductsPaginator(request)) {
            documents.addAll(page.priceList());
            pages++;
        }
        return new Listing(documents, pages);
    }

    private static Filter term(String field, String value) {
        return Filter.builder().type(FilterType.TERM_MATCH).field(field).value(value).build();
    }

    private PricingClient client() {
        PricingClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    client = build();
                }
                c = client;
            }
        }
        return c;
    }

    private PricingClient build() {
        return AwsClients.configure(PricingClient.builder(), config, metrics, config.pricingRegion(),
                        config.pricingEndpoint())
                .httpClientBuilder(HttpClients.apache())
                .build();
    }

    @PreDestroy
    void close() {
        if (client != null) {
            client.close();
        }
    }
}
