package io.sagebench.contracts.catalog;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Versioned, effective-dated on-demand prices in USD per instance-hour, per region and instance type, from
 * {@value #RESOURCE} plus any versions added with {@link #with}. Prices are exact decimals, as written in the book.
 * One rule picks a price for quotes, ceilings and bills alike: the newest version in effect on the day (UTC) that prices
 * the region and type; of two versions effective the same day, the one added later wins.
 */
public final class PriceBook {

    public static final String RESOURCE = "sagebench/catalog/price-book.json";

    /** One version of the book: region → instance type → USD per instance-hour, effective from a day (UTC). */
    public record Version(String version, LocalDate effectiveFrom, Map<String, Map<String, BigDecimal>> prices) {

        public Version {
            if (version == null || version.isBlank() || effectiveFrom == null) {
                throw new IllegalArgumentException("a price-book version needs a name and an effectiveFrom day");
            }
            Map<String, Map<String, BigDecimal>> copy = new LinkedHashMap<>();
            prices.forEach((region, byType) -> copy.put(region, Map.copyOf(byType)));
            prices = Collections.unmodifiableMap(copy);
        }

        public Optional<BigDecimal> price(String region, String instanceType) {
            Map<String, BigDecimal> regional = prices.get(region);
            return regional == null ? Optional.empty() : Optional.ofNullable(regional.get(instanceType));
        }

        /** The same price as a double, for quotes that are estimates anyway. */
        public Optional<Double> hourlyPrice(String region, String instanceType) {
            return price(region, instanceType).map(BigDecimal::doubleValue);
        }
    }

    /** A price with the version it came from. */
    public record Price(String version, BigDecimal hourlyUsd) {
    }

    private final List<Version> newestFirst;

    /** @param versions oldest first: of two versions effective the same day, the one listed later wins */
    public PriceBook(List<Version> versions) {
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("a price book needs at least one version");
        }
        List<Version> sorted = new ArrayList<>(versions);
        Collections.reverse(sorted); // the sort below is stable, so same-day versions stay latest first
        sorted.sort(Comparator.comparing(Version::effectiveFrom).reversed());
        this.newestFirst = List.copyOf(sorted);
    }

    /** The book bundled with this jar. */
    public static PriceBook fromClasspath() {
        return parse(CatalogJson.readResource(RESOURCE));
    }

    public static PriceBook parse(InputStream json) throws IOException {
        return parse(CatalogJson.read(json));
    }

    static PriceBook parse(JsonNode root) {
        List<Version> versions = new ArrayList<>();
        for (JsonNode v : root.path("versions")) {
            String name = CatalogJson.text(v, "version", "price-book version #" + versions.size());
            String where = "price-book version " + name;
            Map<String, Map<String, BigDecimal>> prices = new LinkedHashMap<>();
            v.path("prices").properties().forEach(region -> {
                Map<String, BigDecimal> byType = new LinkedHashMap<>();
                region.getValue().properties().forEach(type ->
                        byType.put(type.getKey(), CatalogJson.decimal(region.getValue(), type.getKey(), where)));
                prices.put(region.getKey(), byType);
            });
            versions.add(new Version(name, LocalDate.parse(CatalogJson.text(v, "effectiveFrom", where)), prices));
        }
        return new PriceBook(versions);
    }

    /** This book with one more version (e.g. refreshed from the AWS Price List API), added last. */
    public PriceBook with(Version version) {
        List<Version> oldestFirst = new ArrayList<>(newestFirst);
        Collections.reverse(oldestFirst);
        oldestFirst.add(version);
        return new PriceBook(oldestFirst);
    }

    /** The price on a day: from the newest version in effect then that prices the region and type. */
    public Optional<Price> priceOn(String region, String instanceType, LocalDate day) {
        for (Version v : newestFirst) {
            if (!v.effectiveFrom().isAfter(day)) {
                Optional<BigDecimal> price = v.price(region, instanceType);
                if (price.isPresent()) {
                    return Optional.of(new Price(v.version(), price.get()));
                }
            }
        }
        return Optional.empty();
    }

    /** The price at an instant (a run's end), by its UTC day. */
    public Optional<Price> priceAt(String region, String instanceType, Instant at) {
        return priceOn(region, instanceType, at.atZone(ZoneOffset.UTC).toLocalDate());
    }

    /** The price in one named version (for re-pricing history with another book). */
    public Optional<Price> priceIn(String version, String region, String instanceType) {
        return newestFirst.stream().filter(v -> v.version().equals(version)).findFirst()
                .flatMap(v -> v.price(region, instanceType).map(p -> new Price(v.version(), p)));
    }

    /** The newest version in effect on a day, whatever it prices (what a quote names as its price book). */
    public Optional<Version> versionOn(LocalDate day) {
        return newestFirst.stream().filter(v -> !v.effectiveFrom().isAfter(day)).findFirst();
    }

    /**
     * The most a run can cost: every instance for its whole maximum runtime, at the price on the day, in USD rounded
     * up to four decimals. Used when a run arrives without a quote, so leaving the quote out never slips a run past a
     * spending ceiling.
     */
    public Optional<BigDecimal> worstCase(String region, String instanceType, int instanceCount, long maxRuntimeSeconds,
                                          LocalDate day) {
        return priceOn(region, instanceType, day).map(p -> p.hourlyUsd()
                .multiply(BigDecimal.valueOf(instanceCount))
                .multiply(BigDecimal.valueOf(maxRuntimeSeconds))
                .divide(BigDecimal.valueOf(3600), 4, RoundingMode.UP));
    }

    public boolean hasVersion(String version) {
        return newestFirst.stream().anyMatch(v -> v.version().equals(version));
    }

    /** Every version, newest first. */
    public List<Version> versions() {
        return newestFirst;
    }
}
