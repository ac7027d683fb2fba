package io.sagebench.design.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The versioned, effective-dated price book shipped as {@code catalog/price-book.json}. A quote uses the newest version
 * in effect on the quote date, the same rule results-service applies to a run's end date.
 */
public final class PriceBook {

    public static final String RESOURCE = "sagebench/catalog/price-book.json";

    /** One version of the book: region → instance type → USD per instance-hour. */
    public record Version(String version, LocalDate effectiveFrom, Map<String, Map<String, Double>> prices) {
        public Optional<Double> hourlyPrice(String region, String instanceType) {
            return Optional.ofNullable(prices.getOrDefault(region, Map.of()).get(instanceType));
        }
    }

    private final List<Version> versionsNewestFirst;

    public PriceBook(List<Version> versions) {
        List<Version> sorted = new ArrayList<>(versions);
        sorted.sort(Comparator.comparing(Version::effectiveFrom).reversed());
        this.versionsNewestFirst = List.copyOf(sorted);
    }

    public static PriceBook fromClasspath() {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath (the build copies it from docs/catalog)");
            }
            return parse(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    static PriceBook parse(JsonNode root) {
        List<Version> versions = new ArrayList<>();
        for (JsonNode v : root.path("versions")) {
            Map<String, Map<String, Double>> prices = new HashMap<>();
            v.path("prices").fields().forEachRemaining(region -> {
                Map<String, Double> byType = new HashMap<>();
                region.getValue().fields().forEachRemaining(t -> byType.put(t.getKey(), t.getValue().asDouble()));
                prices.put(region.getKey(), byType);
            });
            versions.add(new Version(v.path("version").asText(), LocalDate.parse(v.path("effectiveFrom").asText()), prices));
        }
        return new PriceBook(versions);
    }

    /** The newest version whose effectiveFrom is not after {@code date}. */
    public Optional<Version> versionOn(LocalDate date) {
        return versionsNewestFirst.stream().filter(v -> !v.effectiveFrom().isAfter(date)).findFirst();
    }
}
