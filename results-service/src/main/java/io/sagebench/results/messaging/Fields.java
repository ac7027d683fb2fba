package io.sagebench.results.messaging;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Tolerant reading of the fields an event needs: unknown fields are ignored, every problem is collected. */
final class Fields {
    private final JsonNode root;
    private final List<String> problems = new ArrayList<>();

    Fields(JsonNode root) {
        this.root = root;
    }

    private JsonNode at(String path) {
        JsonNode node = root;
        for (String part : path.split("\\.")) {
            node = node == null ? null : node.get(part);
        }
        return node == null || node.isNull() ? null : node;
    }

    String text(String path) {
        JsonNode n = at(path);
        if (n == null || !n.isTextual() || n.asText().isBlank()) {
            problems.add("$." + path + " must be a non-empty string");
            return null;
        }
        return n.asText();
    }

    String optText(String path) {
        JsonNode n = at(path);
        if (n != null && !n.isValueNode()) {
            problems.add("$." + path + " must be a string, got " + kind(n));
            return null;
        }
        return n == null || n.asText().isBlank() ? null : n.asText();
    }

    /** An optional member that is present must still be of its kind: an object where a number belongs is poison. */
    private boolean wrongKind(String path, JsonNode n, boolean ok, String expected) {
        if (n != null && !ok) {
            problems.add("$." + path + " must be " + expected + ", got " + kind(n));
            return true;
        }
        return false;
    }

    private static String kind(JsonNode n) {
        return n.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    int integer(String path) {
        JsonNode n = at(path);
        if (n == null || !n.canConvertToLong() || !n.isNumber() || n.asDouble() != Math.rint(n.asDouble())) {
            problems.add("$." + path + " must be an integer");
            return 0;
        }
        return n.asInt();
    }

    long longInteger(String path) {
        JsonNode n = at(path);
        if (n == null || !n.isNumber() || n.asDouble() != Math.rint(n.asDouble())) {
            problems.add("$." + path + " must be an integer");
            return 0;
        }
        return n.asLong();
    }

    Integer optInteger(String path) {
        JsonNode n = at(path);
        return !wrongKind(path, n, n != null && n.isNumber(), "an integer") && n != null ? n.asInt() : null;
    }

    Long optLong(String path) {
        JsonNode n = at(path);
        return !wrongKind(path, n, n != null && n.isNumber(), "an integer") && n != null ? n.asLong() : null;
    }

    double number(String path) {
        JsonNode n = at(path);
        if (n == null || !n.isNumber()) {
            problems.add("$." + path + " must be a number");
            return 0;
        }
        return n.asDouble();
    }

    Double optNumber(String path) {
        JsonNode n = at(path);
        return !wrongKind(path, n, n != null && n.isNumber(), "a number") && n != null ? n.asDouble() : null;
    }

    Boolean optBoolean(String path) {
        JsonNode n = at(path);
        return !wrongKind(path, n, n != null && n.isBoolean(), "true or false") && n != null ? n.asBoolean() : null;
    }

    Instant optInstant(String path) {
        JsonNode n = at(path);
        if (n == null) {
            return null;
        }
        try {
            return Instant.parse(n.asText());
        } catch (DateTimeParseException e) {
            problems.add("$." + path + " must be an ISO-8601 instant");
            return null;
        }
    }

    List<String> textList(String path) {
        JsonNode n = at(path);
        List<String> values = new ArrayList<>();
        if (n == null) {
            return values;
        }
        if (!n.isArray()) {
            problems.add("$." + path + " must be an array of strings");
            return values;
        }
        n.forEach(item -> {
            if (item.isTextual() && !item.asText().isBlank()) {
                values.add(item.asText());
            } else {
                problems.add("$." + path + " must hold only non-empty strings");
            }
        });
        return values;
    }

    void problem(String message) {
        problems.add(message);
    }

    void check(String eventType) {
        if (!problems.isEmpty()) {
            throw new InvalidEventException(eventType, problems);
        }
    }
}
