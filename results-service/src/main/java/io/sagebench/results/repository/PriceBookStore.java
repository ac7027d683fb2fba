package io.sagebench.results.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.sagebench.contracts.catalog.PriceBook;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The price book in use: the bundled seed (contracts sagebench/catalog/price-book.json) plus the versions refreshed from the AWS
 * Price List API and stored here. Kept in memory, re-read after a refresh and every minute (another replica may have
 * refreshed).
 */
@ApplicationScoped
public class PriceBookStore {

    private static final Logger LOG = Logger.getLogger(PriceBookStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PriceBook seed = PriceBook.fromClasspath();
    private volatile PriceBook current;

    /** The book with every stored version (the seed alone until the database has been read). */
    public PriceBook current() {
        PriceBook book = current;
        return book != null ? book : seed;
    }

    void onStart(@Observes StartupEvent start) {
        reload(); // after Flyway: results priced from the first second use the stored versions
    }

    @Scheduled(every = "60s", delayed = "60s", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    @Transactional
    public void reload() {
        PriceBook book = seed;
        for (PriceBookVersionEntity e : PriceBookVersionEntity.<PriceBookVersionEntity>list("order by createdAt, version")) {
            try {
                book = book.with(new PriceBook.Version(e.version, e.effectiveFrom, prices(e.pricesJson)));
            } catch (RuntimeException | JsonProcessingException bad) {
                LOG.warnf("price-book version %s is unreadable and is ignored: %s", e.version, bad.toString());
            }
        }
        current = book;
    }

    /** Stores a new version; false if a version of that name exists (a concurrent refresh stored the same prices). */
    @Transactional
    public boolean store(PriceBook.Version version, String source) {
        if (PriceBookVersionEntity.findById(version.version()) != null) {
            return false;
        }
        PriceBookVersionEntity e = new PriceBookVersionEntity();
        e.version = version.version();
        e.effectiveFrom = version.effectiveFrom();
        e.source = source.length() > 255 ? source.substring(0, 255) : source;
        ObjectNode prices = JSON.createObjectNode();
        version.prices().forEach((region, byType) -> {
            ObjectNode r = prices.putObject(region);
            byType.forEach(r::put);
        });
        e.pricesJson = prices.toString();
        e.createdAt = Instant.now();
        e.persist();
        return true;
    }

    private static Map<String, Map<String, BigDecimal>> prices(String json) throws JsonProcessingException {
        Map<String, Map<String, BigDecimal>> out = new HashMap<>();
        JSON.readTree(json).properties().forEach(region -> {
            Map<String, BigDecimal> byType = new HashMap<>();
            region.getValue().properties().forEach(t -> byType.put(t.getKey(), new BigDecimal(t.getValue().asText())));
            out.put(region.getKey(), Map.copyOf(byType));
        });
        return Map.copyOf(out);
    }

    /** Versions newest first, for listing. */
    public List<PriceBook.Version> versions() {
        return new ArrayList<>(current().versions());
    }
}
