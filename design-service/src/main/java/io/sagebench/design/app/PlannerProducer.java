package io.sagebench.design.app;

import java.time.Clock;
import java.util.Locale;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.sagebench.contracts.catalog.InstanceCatalog;
import io.sagebench.contracts.catalog.PriceBook;
import io.sagebench.design.config.DesignConfig;
import io.sagebench.design.config.SecurityConfig;
import io.sagebench.design.domain.PlannerSettings;
import io.sagebench.platform.aws.AwsConfig;

/** Wires the plain-Java planner to the catalog and price book of sagebench-contracts and to configuration. */
@ApplicationScoped
public class PlannerProducer {

    @Produces
    @ApplicationScoped
    InstanceCatalog instanceCatalog() {
        return InstanceCatalog.fromClasspath();
    }

    @Produces
    @ApplicationScoped
    PriceBook priceBook() {
        return PriceBook.fromClasspath();
    }

    @Produces
    @ApplicationScoped
    DesignPlanner designPlanner(InstanceCatalog catalog, PriceBook priceBook, DesignConfig config, AwsConfig aws) {
        return new DesignPlanner(catalog, priceBook, new PlannerSettings(aws.region(), config.startupOverheadSeconds(),
                config.maxRuns(), config.runtimeSafetyFactor(), config.minRuntimeSeconds(), config.maxRuntimeSeconds()));
    }

    @Produces
    @ApplicationScoped
    DesignPolicy designPolicy(SecurityConfig security) {
        return new DesignPolicy(security.allowedBuckets().stream()
                .map(b -> b.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toSet()));
    }

    @Produces
    @ApplicationScoped
    Clock clock() {
        return Clock.systemUTC();
    }
}
