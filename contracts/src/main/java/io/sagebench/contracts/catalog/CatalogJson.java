package io.sagebench.contracts.catalog;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;

/** Reading the bundled catalog files: strict, so a broken entry fails at startup instead of pricing a run at zero. */
final class CatalogJson {

    // Prices keep the file's exact digits: 3.825 is never 3.82499999... and 7.090 stays 7.090.
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

    private CatalogJson() {
    }

    static JsonNode read(InputStream in) throws IOException {
        return JSON.readTree(in);
    }

    /** The resource, parsed; it ships in this jar, so its absence is a packaging error. */
    static JsonNode readResource(String resource) {
        try (InputStream in = CatalogJson.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath (it ships in sagebench-contracts)");
            }
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    static String text(JsonNode parent, String field, String where) {
        JsonNode v = parent.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException(where + ": " + field + " must be a non-empty string");
        }
        return v.asText();
    }

    static int integer(JsonNode parent, String field, String where) {
        JsonNode v = parent.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 0) {
            throw new IllegalArgumentException(where + ": " + field + " must be a whole number, 0 or more");
        }
        return v.asInt();
    }

    static double number(JsonNode parent, String field, String where) {
        return decimal(parent, field, where).doubleValue();
    }

    static BigDecimal decimal(JsonNode parent, String field, String where) {
        JsonNode v = parent.get(field);
        if (v == null || !v.isNumber() || v.decimalValue().signum() < 0) {
            throw new IllegalArgumentException(where + ": " + field + " must be a number, 0 or more");
        }
        return v.decimalValue();
    }

    static boolean bool(JsonNode parent, String field, String where) {
        JsonNode v = parent.get(field);
        if (v == null || !v.isBoolean()) {
            throw new IllegalArgumentException(where + ": " + field + " must be true or false");
        }
        return v.asBoolean();
    }
}
