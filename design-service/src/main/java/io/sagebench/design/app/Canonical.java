package io.sagebench.design.app;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sagebench.design.domain.Hashing;

/** Canonical JSON (object keys sorted, recursively, no whitespace) and the SHA-256 hashes built on it. */
public final class Canonical {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Canonical() {
    }

    public static String json(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(sorted(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = MAPPER.createObjectNode();
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(String::compareTo);
            for (String name : names) {
                out.set(name, sorted(node.get(name)));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = MAPPER.createArrayNode();
            node.forEach(e -> out.add(sorted(e)));
            return out;
        }
        return node;
    }

    public static String sha256Hex(String text) {
        return Hashing.sha256Hex(text);
    }

    /** The design's content without its id: what "the same design" means. */
    public static String designContent(JsonNode design) {
        ObjectNode copy = design.deepCopy();
        copy.remove("designId");
        return json(copy);
    }

    /** {@code d-} + 12 hex of SHA-256 of the design's canonical content. */
    public static String derivedDesignId(JsonNode design) {
        return "d-" + sha256Hex(designContent(design)).substring(0, 12);
    }

    /** A non-negative 31-bit seed derived from the design id, recorded with the design. */
    public static long derivedRandomSeed(String designId) {
        return Hashing.derivedRandomSeed(designId);
    }
}
