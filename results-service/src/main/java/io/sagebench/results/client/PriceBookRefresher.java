package io.sagebench.results.client;

import io.quarkus.scheduler.Scheduled;
import io.sagebench.contracts.catalog.InstanceCatalog;
import io.sagebench.results.config.ResultsConfig;
import io.sagebench.contracts.catalog.PriceBook;
import io.sagebench.results.domain.PriceList;
import io.sagebench.results.repository.PriceBookStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Refreshes the price book from the AWS Price List API: the on-demand training prices of the catalog's instance types
 * in the configured regions become a new effective-dated version, stored only if a price changed. An entry that cannot
 * be read is skipped with a warning. On a schedule when {@code sagebench.results.price-refresh.enabled}, and on an
 * operator's {@code POST /price-books/refresh}.
 */
@ApplicationScoped
public class PriceBookRefresher {

    public static final String SOURCE = "AWS Price List API (GetProducts, ServiceCode AmazonSageMaker)";

    /** What a refresh did. {@code version} is the new version's name, or null when no price changed. */
    public record Outcome(String version, LocalDate effectiveFrom, List<PriceList.Change> changes, int documentsRead,
                          int pagesRead, int trainingPricesRead, List<String> skipped) {
        public boolean created() {
            return version != null;
        }
    }

    private static final Logger LOG = Logger.getLogger(PriceBookRefresher.class);

    @Inject
    PriceListClient priceList;
    @Inject
    PriceBookStore store;
    @Inject
    ResultsConfig config;

    private final Set<String> catalogTypes = InstanceCatalog.fromClasspath().instanceTypes();

    @Scheduled(every = "${sagebench.results.price-refresh.interval:24h}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduledRefresh() {
        if (!config.priceRefresh().enabled()) {
            return;
        }
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.warnf("scheduled price-book refresh failed, the current book stays: %s", e.toString());
        }
    }

    /** One refresh; throws when the Price List API cannot be read (nothing is stored then). */
    public synchronized Outcome refresh() {
        List<PriceList.ListedPrice> listed = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        int documents = 0;
        int pages = 0;
        for (String region : config.priceRefresh().regions()) {
            PriceListClient.Listing listing = priceList.sageMakerInstances(region);
            pages += listing.pages();
            for (String document : listing.documents()) {
                documents++;
                try {
                    PriceListDocuments.read(document).filter(p -> p.region().equals(region)).ifPresent(listed::add);
                } catch (PriceListDocuments.UnreadableEntryException e) {
                    LOG.warnf("price list entry %d of %s skipped: %s", documents, region, e.getMessage());
                    skipped.add(region + " entry " + documents + ": " + e.getMessage());
                }
            }
        }
        store.reload(); // decide against every version stored so far, also by other replicas
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        var next = PriceList.newVersion(store.current(), listed, catalogTypes, today);
        if (next.isEmpty()) {
            LOG.infof("price-book refresh: %d training prices read, none changed; no new version", listed.size());
            return new Outcome(null, null, List.of(), documents, pages, listed.size(), skipped);
        }
        PriceBook.Version version = next.get().version();
        store.store(version, SOURCE);
        store.reload();
        LOG.infof("price-book refresh: version %s effective %s, %d price(s) changed: %s", version.version(),
                version.effectiveFrom(), next.get().changes().size(), next.get().changes());
        return new Outcome(version.version(), version.effectiveFrom(), next.get().changes(), documents, pages,
                listed.size(), skipped);
    }
}
