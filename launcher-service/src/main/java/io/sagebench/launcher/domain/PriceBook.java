package io.sagebench.launcher.domain;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The on-demand prices of docs/catalog/price-book.json (shipped in the jar as catalog/price-book.json), used only for
 * runs that arrive without a quote: the ceiling then counts the worst case, every instance for the whole
 * maxRuntimeSeconds, so leaving the quote out can never slip a run past a ceiling.
 */
public final class PriceBook {
    static final String RESOURCE = "sagebench/catalog/price-book.json";
    private final JsonNode versions;

    PriceBook(JsonNode root) {
        this.versions = root.path("versions");
    }

    public static PriceBook fromClasspath() {
        try (InputStream in = PriceBook.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return new PriceBook(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** USD per instance-hour from the newest version in effect on {@code day}. */
    public Optional<BigDecimal> hourlyPrice(String region, String instanceType, LocalDate day) {
        JsonNode newest = null;
        for (JsonNode v : versions) {
            LocalDate from = LocalDate.parse(v.path("effectiveFrom").asText("9999-12-31"));
            if (!from.isAfter(day) && (newest == null
                    || from.isAfter(LocalDate.parse(newest.path("effectiveFrom").asText())))) {
                newest = v;
            }
        }
        JsonNode price = newest == null ? null : newest.path("prices").path(region).path(instanceType);
        return price == null || !price.isNumber() ? Optional.empty() : Optional.of(price.decimalValue());
    }

    /** What the run costs at most: every instance for its whole maxRuntimeSeconds. */
    public Optional<BigDecimal> worstCase(RunPlan run, String region, LocalDate day) {
        return hourlyPrice(region, run.instanceType(), day).map(p -> p
                .multiply(BigDecimal.valueOf(run.instanceCount()))
                .multiply(BigDecimal.valueOf(run.maxRuntimeSeconds()))
                .divide(BigDecimal.valueOf(3600), 4, RoundingMode.UP));
    }
}
