package io.sagebench.results.domain;

import io.sagebench.contracts.catalog.PriceBook;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * On-demand training prices as the AWS Price List lists them (read by client/PriceListDocuments), and the decision
 * whether they make a new price-book version. Plain logic, no I/O.
 */
public final class PriceList {

    /** An on-demand SageMaker training price, USD per instance-hour. */
    public record ListedPrice(String region, String instanceType, BigDecimal usdPerHour) {
    }

    /** A price that differs from what the book charges today (before: null when the book had none). */
    public record Change(String region, String instanceType, BigDecimal before, BigDecimal after) {
    }

    /** A new version to store, and what changed. */
    public record NewVersion(PriceBook.Version version, List<Change> changes) {
    }

    /**
     * A new version holding the listed prices of the known instance types, effective {@code today}, if any of them
     * differs from the price the book charges today (or the book has none); else empty. Types and regions the listing
     * does not cover keep their older versions' prices (the book looks back for them).
     */
    public static Optional<NewVersion> newVersion(PriceBook book, List<ListedPrice> listed, Set<String> knownTypes,
                                                  LocalDate today) {
        Map<String, Map<String, BigDecimal>> prices = new TreeMap<>();
        List<Change> changes = new ArrayList<>();
        Instant now = today.atStartOfDay(ZoneOffset.UTC).toInstant();
        for (ListedPrice p : listed) {
            if (!knownTypes.contains(p.instanceType())) {
                continue;
            }
            BigDecimal previous = prices.computeIfAbsent(p.region(), r -> new TreeMap<>())
                    .put(p.instanceType(), p.usdPerHour());
            if (previous != null) {
                continue; // listed twice: the first listing decided the change
            }
            BigDecimal before = book.priceAt(p.region(), p.instanceType(), now).map(PriceBook.Price::hourlyUsd)
                    .orElse(null);
            if (before == null || before.compareTo(p.usdPerHour()) != 0) {
                changes.add(new Change(p.region(), p.instanceType(), before, p.usdPerHour()));
            }
        }
        if (changes.isEmpty()) {
            return Optional.empty();
        }
        // Named by day and content: a concurrent refresh that saw the same prices names the same version.
        String name = "aws-" + today + "-" + HexFormat.of().toHexDigits(prices.toString().hashCode());
        Map<String, Map<String, BigDecimal>> frozen = new HashMap<>();
        prices.forEach((r, m) -> frozen.put(r, Map.copyOf(m)));
        return Optional.of(new NewVersion(new PriceBook.Version(name, today, Map.copyOf(frozen)), List.copyOf(changes)));
    }
}
