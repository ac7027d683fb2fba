package io.sagebench.launcher.messaging;

import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Strict reads of an incoming event's members: a required member that is missing, blank or not a JSON string (an
 * object, an array, a number would otherwise read as "" or its text) makes the record invalid, with the member named,
 * so it is dead-lettered rather than treated as "not ours".
 */
final class Members {
    private Members() {
    }

    static String requiredText(JsonNode event, String member, String eventType) {
        JsonNode n = event.get(member);
        if (n == null || n.isNull()) {
            throw new IllegalArgumentException("invalid " + eventType + ": " + member + " is required");
        }
        if (!n.isTextual()) {
            throw new IllegalArgumentException("invalid " + eventType + ": " + member + " must be a string, not "
                    + kind(n));
        }
        if (n.asText().isBlank()) {
            throw new IllegalArgumentException("invalid " + eventType + ": " + member + " must not be blank");
        }
        return n.asText();
    }

    /** @return null if absent or null; the string otherwise */
    static String optionalText(JsonNode event, String member, String eventType) {
        JsonNode n = event.get(member);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new IllegalArgumentException("invalid " + eventType + ": " + member + " must be a string, not "
                    + kind(n));
        }
        return n.asText();
    }

    static String kind(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "missing";
        }
        return n.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
