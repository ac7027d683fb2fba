package io.sagebench.design.app;

import io.sagebench.design.config.DesignConfig;
import io.sagebench.design.config.SecurityConfig;

import io.sagebench.contracts.catalog.InstanceCatalog;
import io.sagebench.contracts.catalog.PriceBook;
import io.sagebench.design.domain.PlannerSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.util.Locale;
import java.util.stream.Collectors;

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
    DesignPlanner designPlanner(InstanceCatalog catalog, PriceBook priceBook, DesignConfig config,
                                @ConfigProperty(name = "sagebench.aws.region", defaultValue = "us-east-1") String region) {
        return new DesignPlanner(catalog, priceBook, new PlannerSettings(region, config.startupOverheadSeconds(),
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
