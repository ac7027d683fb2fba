package io.sagebench.design.app;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

import com.fasterxml.jackson.databind.JsonNode;

import io.sagebench.design.domain.Design;
import io.sagebench.design.domain.ValidationError;

/** Reads the values of a design's JSON, recording a problem at its JSON path instead of stopping at the first. */
final class DesignFields {

    private final List<ValidationError> errors = new ArrayList<>();

    List<ValidationError> errors() {
        return errors;
    }

    List<Design.Valued<Integer>> readPositiveIntList(JsonNode node, String path, boolean required) {
        return readList(node, path, required, (item, p) -> {
            Long v = positiveLong(item, p);
            if (v != null && v > Integer.MAX_VALUE) {
                error(p, "is too large");
                return null;
            }
            return v == null ? null : v.intValue();
        });
    }

    List<Design.Valued<Double>> readPositiveNumberList(JsonNode node, String path, boolean required) {
        return readList(node, path, required, this::positiveNumber);
    }

    /** A non-empty array whose items each read to a value, or record an error at their own path and read to null. */
    <T> List<Design.Valued<T>> readList(JsonNode node, String path, boolean required,
                                                BiFunction<JsonNode, String, T> item) {
        List<Design.Valued<T>> out = new ArrayList<>();
        if (isMissing(node)) {
            if (required) {
                error(path, "is required (at least one value)");
            }
            return out;
        }
        if (!node.isArray()) {
            error(path, "must be an array");
            return out;
        }
        if (node.isEmpty()) {
            error(path, "must not be empty");
            return out;
        }
        for (int i = 0; i < node.size(); i++) {
            String p = path + "[" + i + "]";
            T v = item.apply(node.get(i), p);
            if (v != null) {
                out.add(new Design.Valued<>(p, v));
            }
        }
        return out;
    }

    Long requiredPositiveLong(JsonNode parent, String field, String path, String missingMessage) {
        JsonNode n = parent.get(field);
        if (isMissing(n)) {
            error(path, missingMessage);
            return null;
        }
        return positiveLong(n, path);
    }

    Long positiveLong(JsonNode n, String path) {
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
            error(path, "must be a positive integer");
            return null;
        }
        if (n.asLong() <= 0) {
            error(path, "must be positive, was " + n.asLong());
            return null;
        }
        return n.asLong();
    }

    Double positiveNumber(JsonNode n, String path) {
        if (n == null || !n.isNumber()) {
            error(path, "must be a positive number");
            return null;
        }
        if (!(n.asDouble() > 0) || Double.isInfinite(n.asDouble())) {
            error(path, "must be positive, was " + n.asText());
            return null;
        }
        return n.asDouble();
    }

    String requiredString(JsonNode parent, String field, String path) {
        JsonNode n = parent.get(field);
        if (isMissing(n)) {
            error(path, "is required");
            return null;
        }
        if (!n.isTextual() || n.asText().isBlank()) {
            error(path, "must be a non-empty string");
            return null;
        }
        return n.asText();
    }

    String optionalString(JsonNode parent, String field, String path) {
        JsonNode n = parent.get(field);
        if (isMissing(n)) {
            return null;
        }
        if (!n.isTextual()) {
            error(path, "must be a string");
            return null;
        }
        return n.asText();
    }

    boolean optionalBoolean(JsonNode parent, String field, String path, boolean fallback) {
        JsonNode n = parent.get(field);
        if (isMissing(n)) {
            return fallback;
        }
        if (!n.isBoolean()) {
            error(path, "must be true or false");
            return fallback;
        }
        return n.asBoolean();
    }

    static boolean isMissing(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode();
    }

    void error(String path, String message) {
        errors.add(new ValidationError(path, message));
    }
}
