package io.sagebench.results.config;

import io.sagebench.results.domain.PriceBook;
import io.sagebench.results.domain.RunRecordCalculator;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The price book from the classpath (docs/catalog, copied by the build), loaded once. */
public class CatalogProducer {

    @Produces
    @Singleton
    PriceBook priceBook() {
        return PriceBook.fromClasspath();
    }

    @Produces
    @Singleton
    RunRecordCalculator runRecordCalculator(PriceBook priceBook) {
        return new RunRecordCalculator(priceBook);
    }
}
