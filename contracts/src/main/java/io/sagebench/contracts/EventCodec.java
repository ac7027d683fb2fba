package io.sagebench.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import io.sagebench.contracts.InvalidEventException.Problem;
import io.sagebench.contracts.events.Event;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Events to and from JSON. {@link #read} checks the payload against its type's schema before binding it, so a
 * consumer gets either a well-formed record or every problem with the payload at once; fields it does not know are
 * ignored, so producers can add optional fields first and consumers catch up later.
 */
public final class EventCodec {

    // One mapper for every event: decimals keep their digits (prices and costs are exact), instants are ISO-8601
    // text, absent values are left out rather than written as null.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .defaultPropertyInclusion(JsonInclude.Value.construct(Include.NON_NULL, Include.USE_DEFAULTS))
            .build();

    // $refs name schemas by $id (https://sagebench.io/events/...); they resolve to this jar, never to the network.
    // Paths are JSON paths ($.clusters[1].instanceType), like DesignRejected's; formats are checked, so a malformed
    // instant is a schema problem with its path rather than a parse failure later.
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemas(EventCodec::schemaText).schemaRegistryConfig(SchemaRegistryConfig.builder()
                    .pathType(PathType.JSON_PATH).formatAssertionsEnabled(true).build()));
    private static final Map<EventType, Schema> SCHEMAS = new ConcurrentHashMap<>();

    private EventCodec() {
    }

    /** The event's JSON, without the properties that are null. */
    public static String write(Event event) {
        try {
            return JSON.writeValueAsString(event);
        } catch (JacksonException e) {
            // records of plain values always serialise; this is a bug in a record, not bad input
            throw new IllegalStateException("cannot write " + event.type(), e);
        }
    }

    /**
     * The event in {@code json}, checked against its schema.
     *
     * @throws InvalidEventException with every problem found: not JSON, schema violations, or values the record
     *                               cannot hold
     */
    public static <T extends Event> T read(String json, Class<T> recordClass) {
        EventType type = EventType.ofRecord(recordClass);
        JsonNode tree = parse(type, json);
        List<Problem> problems = schema(type).validate(tree).stream().map(EventCodec::problem).toList();
        if (!problems.isEmpty()) {
            throw new InvalidEventException(type, problems);
        }
        try {
            return JSON.treeToValue(tree, recordClass);
        } catch (JsonMappingException e) {
            // valid by the schema but out of the record's range, e.g. an integer beyond a long
            throw new InvalidEventException(type, List.of(new Problem(JsonPaths.of(e.getPath()), e.getOriginalMessage())));
        } catch (JacksonException e) {
            throw new InvalidEventException(type, List.of(new Problem("$", e.getOriginalMessage())));
        }
    }

    private static JsonNode parse(EventType type, String json) {
        try {
            JsonNode tree = json == null ? null : JSON.readTree(json);
            if (tree == null || tree.isMissingNode()) {
                throw new InvalidEventException(type, List.of(new Problem("$", "empty payload")));
            }
            return tree;
        } catch (JacksonException e) {
            throw new InvalidEventException(type, List.of(new Problem("$", "not JSON: " + e.getOriginalMessage())));
        }
    }

    private static Problem problem(Error error) {
        // a missing property is reported on its parent object; the path of the property itself is the useful one
        String path = "required".equals(error.getKeyword()) && error.getProperty() != null
                ? error.getInstanceLocation().append(error.getProperty()).toString()
                : error.getInstanceLocation().toString();
        return new Problem(path, error.getMessage());
    }

    private static Schema schema(EventType type) {
        return SCHEMAS.computeIfAbsent(type, t -> {
            Schema schema = REGISTRY.getSchema(SchemaLocation.of(t.schemaId()));
            schema.initializeValidators(); // compile every $ref now, not lazily inside concurrent validations
            return schema;
        });
    }

    private static String schemaText(String schemaId) {
        String resource = EventType.schemaResourceOf(schemaId).orElse(null);
        if (resource == null) {
            return null;
        }
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
