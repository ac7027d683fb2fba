package io.sagebench.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebench.contracts.events.Event;
import io.sagebench.contracts.events.EventSamples;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The event records against their schemas: same names, fitting types, and values that survive the wire. */
class EventRecordContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyEventTypeHasItsRecordAndEveryRecordAType() {
        Set<Class<?>> bound = new HashSet<>();
        for (EventType type : EventType.values()) {
            Class<? extends Event> record = type.recordClass();
            assertTrue(record.isRecord(), type + ": " + record + " is not a record");
            assertEquals(type.name(), record.getSimpleName(), type + ": record name");
            assertSame(type, EventType.ofRecord(record));
            assertSame(type, EventSamples.of(type).type(), type + ": the record's type()");
            assertSame(record, EventSamples.of(type).getClass());
            bound.add(record);
        }
        assertEquals(Set.of(Event.class.getPermittedSubclasses()), bound, "Event's records and EventType's differ");
    }

    @Test
    void everyRecordMatchesItsSchemaAllTheWayDown() throws IOException {
        List<String> mismatches = new ArrayList<>();
        for (EventType type : EventType.values()) {
            compareRecord(type.recordClass(), schema(type.schemaResource()), type.name(), mismatches);
        }
        assertTrue(mismatches.isEmpty(), "records and schemas differ:\n  " + String.join("\n  ", mismatches));
    }

    @Test
    void everySampleRoundTripsThroughItsSchema() throws IOException {
        for (EventType type : EventType.values()) {
            Event sample = EventSamples.of(type);
            String json = EventCodec.write(sample);
            // read validates against the schema first, so equality here also means the JSON was schema-valid
            assertEquals(sample, EventCodec.read(json, type.recordClass()), type + " did not survive: " + json);
            Set<String> written = new TreeSet<>();
            JSON.readTree(json).fieldNames().forEachRemaining(written::add);
            Set<String> properties = new TreeSet<>();
            schema(type.schemaResource()).path("properties").fieldNames().forEachRemaining(properties::add);
            assertTrue(properties.containsAll(written), type + " writes more than its schema names: " + written);
        }
    }

    @Test
    void everyProducersPayloadReadsAndWritesBackTheSame() throws IOException {
        for (EventType type : EventType.values()) {
            String payload = payload(type);
            Event event = EventCodec.read(payload, type.recordClass());
            assertEquals(event, EventCodec.read(EventCodec.write(event), type.recordClass()), type + ": second read");
        }
    }

    // --- comparing a record with a schema

    private static void compareRecord(Class<?> record, JsonNode schema, String where, List<String> out) throws IOException {
        Map<String, JsonNode> properties = properties(schema);
        Set<String> required = required(schema);
        Set<String> components = new HashSet<>();
        for (RecordComponent c : record.getRecordComponents()) {
            components.add(c.getName());
            JsonNode property = properties.get(c.getName());
            if (property == null) {
                out.add(where + "." + c.getName() + " is not a property of the schema");
                continue;
            }
            compareValue(c.getGenericType(), property, where + "." + c.getName(), required.contains(c.getName()), out);
        }
        required.stream().filter(r -> !components.contains(r)).sorted()
                .forEach(r -> out.add(where + "." + r + " is required by the schema but not a record component"));
    }

    private static void compareValue(Type javaType, JsonNode property, String where, boolean required, List<String> out)
            throws IOException {
        boolean usd = property.path("$ref").asText().endsWith("/$defs/usd");
        JsonNode schema = resolve(property);
        Set<String> types = types(schema);
        Class<?> raw = javaType instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) javaType;
        if (raw.isPrimitive() && (!required || types.contains("null"))) {
            out.add(where + " is a primitive but may be absent or null");
        }
        if (usd != (raw == BigDecimal.class)) {
            out.add(where + ": money (usd) is BigDecimal and only money is; here " + raw.getSimpleName());
        }
        Type[] args = javaType instanceof ParameterizedType p ? p.getActualTypeArguments() : new Type[0];
        if (raw.isRecord()) {
            expect(types, "object", where, out);
            compareRecord(raw, schema, where, out);
        } else if (raw == List.class) {
            expect(types, "array", where, out);
            compareValue(args[0], schema.path("items"), where + "[]", true, out);
        } else if (raw == Map.class) {
            expect(types, "object", where, out);
            compareValue(args[1], schema.path("additionalProperties"), where + "{}", true, out);
        } else if (raw.isEnum()) {
            Set<String> wire = Arrays.stream(raw.getEnumConstants()).map(e -> JSON.valueToTree(e).asText())
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> allowed = new TreeSet<>();
            schema.path("enum").forEach(v -> { if (!v.isNull()) allowed.add(v.asText()); });
            if (!wire.equals(allowed)) {
                out.add(where + ": enum " + raw.getSimpleName() + " " + wire + " but the schema allows " + allowed);
            }
        } else if (raw == Instant.class) {
            expect(types, "string", where, out);
            if (!"date-time".equals(schema.path("format").asText())) {
                out.add(where + " is an Instant but not a date-time in the schema");
            }
        } else {
            expect(types, jsonType(raw), where, out);
        }
    }

    private static String jsonType(Class<?> raw) {
        if (raw == String.class) {
            return "string";
        }
        if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
            return "integer";
        }
        if (raw == double.class || raw == Double.class || raw == BigDecimal.class) {
            return "number";
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return "boolean";
        }
        return "no JSON type for " + raw.getName();
    }

    private static void expect(Set<String> types, String type, String where, List<String> out) {
        if (!types.contains(type)) {
            out.add(where + " is " + type + " in Java but " + types + " in the schema");
        }
    }

    /** The {@code type}s of the schema and its {@code allOf} parts; an enum without one has the types of its values. */
    private static Set<String> types(JsonNode schema) throws IOException {
        Set<String> types = new HashSet<>();
        for (JsonNode part : parts(schema)) {
            JsonNode type = part.path("type");
            if (type.isArray()) {
                type.forEach(t -> types.add(t.asText()));
            } else if (type.isTextual()) {
                types.add(type.asText());
            }
            part.path("enum").forEach(v -> types.add(v.isNull() ? "null" : v.isTextual() ? "string" : "other"));
        }
        return types;
    }

    /** The schema and its {@code allOf} parts: DesignRejected's errors extend common's error that way. */
    private static List<JsonNode> parts(JsonNode schema) throws IOException {
        List<JsonNode> parts = new ArrayList<>(List.of(schema));
        for (JsonNode part : schema.path("allOf")) {
            parts.add(resolve(part));
        }
        return parts;
    }

    private static Map<String, JsonNode> properties(JsonNode schema) throws IOException {
        Map<String, JsonNode> properties = new HashMap<>();
        for (JsonNode part : parts(schema)) {
            part.path("properties").properties().forEach(p -> properties.put(p.getKey(), p.getValue()));
        }
        return properties;
    }

    private static Set<String> required(JsonNode schema) throws IOException {
        Set<String> required = new HashSet<>();
        for (JsonNode part : parts(schema)) {
            part.path("required").forEach(r -> required.add(r.asText()));
        }
        return required;
    }

    /** A {@code $ref} into common.schema.json replaced by what it points at. */
    private static JsonNode resolve(JsonNode schema) throws IOException {
        String ref = schema.path("$ref").asText();
        if (ref.isEmpty()) {
            return schema;
        }
        assertTrue(ref.startsWith("common.schema.json#"), "unexpected $ref " + ref);
        JsonNode target = schema(EventType.COMMON_SCHEMA).at(ref.substring(ref.indexOf('#') + 1));
        assertFalse(target.isMissingNode(), "dangling $ref " + ref);
        return resolve(target);
    }

    private static JsonNode schema(String resource) throws IOException {
        try (InputStream in = resource(resource)) {
            return JSON.readTree(in);
        }
    }

    static String payload(EventType type) throws IOException {
        try (InputStream in = resource("payloads/" + type.name() + ".json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = EventRecordContractTest.class.getClassLoader().getResourceAsStream(name);
        assertNotNull(in, name + " is not on the classpath");
        return in;
    }
}
