package io.sagebench.results.config;

import io.sagebench.results.domain.RunRecordCalculator;
import io.sagebench.results.repository.PriceBookStore;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Prices runs with the price book in use: the bundled seed plus the versions refreshed from the Price List API. */
public class CatalogProducer {

    @Produces
    @Singleton
    RunRecordCalculator runRecordCalculator(PriceBookStore priceBooks) {
        return new RunRecordCalculator(priceBooks::current);
    }
}
