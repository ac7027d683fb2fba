package io.sagebench.results.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Versioned, effective-dated on-demand prices (USD per instance-hour) per region and instance type, read from
 * {@code catalog/price-book.json} (docs/catalog, copied into the jar by the build).
 */
public final class PriceBook {

    public static final String CLASSPATH_LOCATION = "sagebench/catalog/price-book.json";

    /** One version of the book: every price it lists, effective from a date (UTC). */
    public record Version(String version, LocalDate effectiveFrom, Map<String, Map<String, BigDecimal>> prices) {
        public Optional<BigDecimal> price(String region, String instanceType) {
            Map<String, BigDecimal> regional = prices.get(region);
            return regional == null ? Optional.empty() : Optional.ofNullable(regional.get(instanceType));
        }
    }

    /** The price chosen for a run, with the version it came from. */
    public record Price(String version, BigDecimal hourlyUsd) {
    }

    private final List<Version> newestFirst;

    /** @param versions oldest first: of two versions effective the same day, the one listed later wins */
    public PriceBook(List<Version> versions) {
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("a price book needs at least one version");
        }
        List<Version> sorted = new ArrayList<>(versions);
        java.util.Collections.reverse(sorted); // the sort is stable: same-day versions stay latest first
        sorted.sort(Comparator.comparing(Version::effectiveFrom).reversed());
        this.newestFirst = List.copyOf(sorted);
    }

    /** This book with one more version (e.g. refreshed from the AWS Price List API), listed last. */
    public PriceBook with(Version version) {
        List<Version> oldestFirst = new ArrayList<>(newestFirst);
        java.util.Collections.reverse(oldestFirst);
        oldestFirst.add(version);
        return new PriceBook(oldestFirst);
    }

    public static PriceBook fromClasspath() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try (InputStream in = loader.getResourceAsStream(CLASSPATH_LOCATION)) {
            if (in == null) {
                throw new IllegalStateException(CLASSPATH_LOCATION + " is not on the classpath (the build copies it from docs/catalog)");
            }
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + CLASSPATH_LOCATION, e);
        }
    }

    public static PriceBook parse(InputStream json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json);
        List<Version> versions = new ArrayList<>();
        for (JsonNode v : root.path("versions")) {
            Map<String, Map<String, BigDecimal>> prices = new HashMap<>();
            v.path("prices").properties().forEach(region -> {
                Map<String, BigDecimal> byType = new HashMap<>();
                // decimalValue keeps the book's exact digits (3.825 stays 3.825).
                region.getValue().properties().forEach(type -> byType.put(type.getKey(), new BigDecimal(type.getValue().asText())));
                prices.put(region.getKey(), byType);
            });
            versions.add(new Version(v.path("version").asText(), LocalDate.parse(v.path("effectiveFrom").asText()), prices));
        }
        return new PriceBook(versions);
    }

    /**
     * The newest version effective at {@code at} (its effectiveFrom is not after that day) that prices the region and
     * instance type.
     */
    public Optional<Price> priceAt(String region, String instanceType, Instant at) {
        LocalDate day = at.atZone(ZoneOffset.UTC).toLocalDate();
        for (Version v : newestFirst) {
            if (v.effectiveFrom().isAfter(day)) {
                continue;
            }
            Optional<BigDecimal> price = v.price(region, instanceType);
            if (price.isPresent()) {
                return Optional.of(new Price(v.version(), price.get()));
            }
        }
        return Optional.empty();
    }

    /** The price of one named version (for re-pricing history with another book). */
    public Optional<Price> priceIn(String version, String region, String instanceType) {
        return newestFirst.stream().filter(v -> v.version().equals(version)).findFirst()
                .flatMap(v -> v.price(region, instanceType).map(p -> new Price(v.version(), p)));
    }

    public boolean hasVersion(String version) {
        return newestFirst.stream().anyMatch(v -> v.version().equals(version));
    }

    public List<Version> versions() {
        return newestFirst;
    }
}
