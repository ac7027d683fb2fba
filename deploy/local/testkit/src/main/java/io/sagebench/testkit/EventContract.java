package io.sagebench.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.sagebench.contracts.EventType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Checks event payloads against the one copy of each contract, {@code sagebench/events/<EventType>.schema.json} in the
 * sagebench-contracts jar. Schemas reference each other by their {@code $id} (https://sagebench.io/events/...), which is
 * resolved to that classpath folder, so nothing is fetched from the network.
 */
public final class EventContract {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemas(EventContract::loadById));

    private EventContract() {
    }

    /** Every violation of the event type's schema; empty when the payload conforms. */
    public static List<String> violations(String eventType, String json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (IOException e) {
            return List.of("not JSON: " + e.getMessage());
        }
        Schema schema = SCHEMAS.computeIfAbsent(eventType,
                type -> REGISTRY.getSchema(SchemaLocation.of(EventType.SCHEMA_ID_PREFIX + type + ".schema.json")));
        return schema.validate(node).stream().map(Error::toString).collect(Collectors.toList());
    }

    /** Fails with every violation, so one run shows all that is wrong with a payload. */
    public static void assertValid(String eventType, String json) {
        List<String> violations = violations(eventType, json);
        if (!violations.isEmpty()) {
            throw new AssertionError(eventType + " does not match " + EventType.SCHEMA_FOLDER + eventType + ".schema.json:\n  "
                    + String.join("\n  ", violations) + "\npayload: " + json);
        }
    }

    private static String loadById(String iri) {
        String resource = EventType.schemaResourceOf(iri).orElse(null);
        if (resource == null) {
            return null;
        }
        // the contracts jar's own loader, which sees its resources whatever the thread's context loader is
        try (InputStream in = EventType.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath: no such schema in sagebench-contracts");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
