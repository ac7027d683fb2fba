package io.sagebench.design.health;

import io.sagebench.contracts.catalog.InstanceCatalog;
import io.sagebench.contracts.catalog.PriceBook;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.LocalDate;

/** Ready only when the catalog is loaded and a price book version is in effect today: otherwise nothing can be quoted. */
@Readiness
@ApplicationScoped
public class CatalogHealthCheck implements HealthCheck {

    @Inject
    InstanceCatalog catalog;
    @Inject
    PriceBook priceBook;

    @Override
    public HealthCheckResponse call() {
        var version = priceBook.versionOn(LocalDate.now());
        return HealthCheckResponse.named("catalog")
                .status(!catalog.instanceTypes().isEmpty() && version.isPresent())
                .withData("instanceCatalog", catalog.version())
                .withData("priceBook", version.map(PriceBook.Version::version).orElse("none in effect"))
                .build();
    }
}
