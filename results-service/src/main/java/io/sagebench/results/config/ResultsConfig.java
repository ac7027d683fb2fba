package io.sagebench.results.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.List;

/** results-service behaviour. */
@ConfigMapping(prefix = "sagebench.results")
public interface ResultsConfig {

    /** How often DescribeTrainingJob may be retried for one job before the run is left for an operator. */
    @WithDefault("20")
    int maxDescribeTries();

    /** How often the finisher sweeps for terminal jobs without a result (read by @Scheduled, e.g. "2s"). */
    @WithDefault("2s")
    String finisherInterval();

    /** How many waiting runs one finisher sweep handles. */
    @WithDefault("50")
    int finisherBatch();

    /** How many DescribeTrainingJob calls the finisher makes at once (a bounded pool; each call is mostly waiting). */
    @WithDefault("8")
    int describeConcurrency();

    /** A run is overdue when it has been running longer than its quoted time × this factor. */
    @WithDefault("1.5")
    double overdueFactor();

    /** How often the gauges (runs in progress / overdue, outbox backlog) are read from the database. */
    @WithDefault("5s")
    String gaugeInterval();

    /** Refreshing the price book from the AWS Price List API. */
    PriceRefresh priceRefresh();

    interface PriceRefresh {
        /** The scheduled refresh (the operator's POST /price-books/refresh works either way). */
        @WithDefault("false")
        boolean enabled();

        /** How often the scheduled refresh runs (read by @Scheduled). */
        @WithDefault("24h")
        String interval();

        /** Regions to price; the catalog's instance types are priced in each. */
        @WithDefault("us-east-1")
        List<String> regions();
    }
}
