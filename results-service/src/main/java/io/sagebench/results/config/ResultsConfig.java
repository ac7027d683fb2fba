package io.sagebench.results.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

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
}
