package io.sagebench.design.config;

import io.sagebench.design.domain.DesignPlanner;
import io.sagebench.design.domain.DesignPolicy;
import io.sagebench.design.domain.InstanceCatalog;
import io.sagebench.design.domain.PlannerSettings;
import io.sagebench.design.domain.PriceBook;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;

/** Wires the plain-Java planner to the catalog and price book in the jar and to configuration. */
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
                .map(b -> b.trim().toLowerCase(java.util.Locale.ROOT)).collect(java.util.stream.Collectors.toSet()));
    }

    @Produces
    @ApplicationScoped
    Clock clock() {
        return Clock.systemUTC();
    }
}
