package io.sagebench.results.health;

import io.sagebench.contracts.catalog.PriceBook;
import io.sagebench.results.repository.PriceBookStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only with a price book to price runs with (DB and Kafka have their own built-in checks). */
@Readiness
@ApplicationScoped
public class PriceBookHealthCheck implements HealthCheck {

    @Inject
    PriceBookStore priceBooks;

    @Override
    public HealthCheckResponse call() {
        PriceBook priceBook = priceBooks.current();
        return HealthCheckResponse.named("price-book").up()
                .withData("versions", priceBook.versions().size())
                .withData("newest", priceBook.versions().get(0).version())
                .build();
    }
}
