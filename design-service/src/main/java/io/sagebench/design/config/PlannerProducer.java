package io.sagebench.design.config;

import io.sagebench.design.domain.DesignPlanner;
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
    Clock clock() {
        return Clock.systemUTC();
    }
}
