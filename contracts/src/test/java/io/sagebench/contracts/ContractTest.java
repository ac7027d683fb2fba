package io.sagebench.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sagebench.contracts.ids.Ids;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java names of the contracts against the files that define them: schemas and asyncapi.yaml. */
class ContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void everyEventTypeHasItsSchemaAndEverySchemaAnEventType() throws Exception {
        for (EventType type : EventType.values()) {
            JsonNode schema = json(type.schemaResource());
            assertEquals(type.schemaId(), schema.path("$id").asText(), type + ": $id");
            assertEquals(type.name(), schema.path("title").asText(), type + ": title");
            String description = schema.path("description").asText();
            assertTrue(description.contains("Topic `" + type.topic() + "`, key `" + type.keyField() + "`"),
                    type + " names another topic or key in its schema: " + description);
        }
        Set<String> files;
        try (Stream<Path> list = Files.list(folder(EventType.SCHEMA_FOLDER))) {
            files = list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".schema.json"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> expected = Arrays.stream(EventType.values()).map(EventType::schemaFileName)
                .collect(Collectors.toCollection(TreeSet::new));
        expected.add("common.schema.json");
        assertEquals(expected, files);
    }

    @Test
    void asyncApiTopicsAreExactlyTheTopicsConstants() throws Exception {
        Set<String> inAsyncApi = new TreeSet<>();
        for (JsonNode channel : asyncApi().path("channels")) {
            String address = channel.path("address").asText();
            if (address.contains("{service}")) {
                channel.path("parameters").path("service").path("enum")
                        .forEach(s -> inAsyncApi.add(address.replace("{service}", s.asText())));
            } else {
                inAsyncApi.add(address);
            }
        }
        assertEquals(topicConstants(), inAsyncApi);
        assertEquals(new TreeSet<>(Topics.EVENT_TOPICS),
                Arrays.stream(EventType.values()).map(EventType::topic).collect(Collectors.toCollection(TreeSet::new)));
    }

    @Test
    void everyEventTypeTravelsOnTheChannelAsyncApiGivesItsMessage() throws Exception {
        JsonNode api = asyncApi();
        Map<String, String> topicOfMessage = new HashMap<>();
        Map<String, String> keyOfTopic = new HashMap<>();
        api.path("channels").forEach(channel -> {
            String topic = channel.path("address").asText();
            channel.path("messages").forEach(ref -> {
                String message = ref.path("$ref").asText().replace("#/components/messages/", "");
                assertNull(topicOfMessage.put(message, topic), message + " is on two channels");
            });
            String description = channel.path("description").asText();
            if (description.startsWith("key ")) {
                keyOfTopic.put(topic, description.substring(4, description.indexOf(';')));
            }
        });
        for (EventType type : EventType.values()) {
            assertEquals(type.topic(), topicOfMessage.get(type.name()), type + ": channel");
            assertEquals(type.keyField(), keyOfTopic.get(type.topic()), type + ": record key");
            JsonNode message = api.path("components").path("messages").path(type.name());
            assertEquals("./events/" + type.schemaFileName(), message.path("payload").path("schema").path("$ref").asText(),
                    type + ": payload schema");
        }
        assertEquals(EventType.values().length, topicOfMessage.size(), "messages without an EventType: " + topicOfMessage);
        assertEquals(EventType.values().length, api.path("components").path("messages").size());
    }

    @Test
    void houseHeadersAreTheHeadersConstants() throws Exception {
        JsonNode headers = asyncApi().at("/components/messageTraits/houseHeaders/headers");
        Set<String> required = new HashSet<>();
        headers.path("required").forEach(h -> required.add(h.asText()));
        assertEquals(Set.of(Headers.EVENT_ID, Headers.EVENT_TYPE, Headers.SCHEMA_VERSION), required);
        assertEquals(Headers.CURRENT_SCHEMA_VERSION,
                headers.path("properties").path(Headers.SCHEMA_VERSION).path("const").asText());
    }

    @Test
    void idPatternsAreCommonSchemas() throws Exception {
        JsonNode defs = json(EventType.COMMON_SCHEMA).path("$defs");
        assertEquals(defs.at("/designId/pattern").asText(), Ids.DESIGN_ID_PATTERN);
        assertEquals(defs.at("/runId/pattern").asText(), Ids.RUN_ID_PATTERN);
        assertEquals(defs.at("/cellId/pattern").asText(), Ids.CELL_ID_PATTERN);
        assertEquals(defs.at("/trainingJobName/pattern").asText(), Ids.TRAINING_JOB_NAME_PATTERN);
    }

    @Test
    void schemaIdsResolveToTheirResources() {
        assertEquals(EventType.COMMON_SCHEMA,
                EventType.schemaResourceOf(EventType.SCHEMA_ID_PREFIX + "common.schema.json").orElseThrow());
        for (EventType type : EventType.values()) {
            assertEquals(type.schemaResource(), EventType.schemaResourceOf(type.schemaId()).orElseThrow());
            assertEquals(type, EventType.of(type.name()).orElseThrow());
        }
        assertTrue(EventType.schemaResourceOf("https://json-schema.org/draft/2020-12/schema").isEmpty());
        assertTrue(EventType.schemaResourceOf(EventType.SCHEMA_ID_PREFIX + "../catalog/price-book.json").isEmpty());
        assertTrue(EventType.of("RunExploded").isEmpty());
    }

    @Test
    void deadLetterTopicsAreNamedByService() {
        assertEquals(Topics.DLQ_RESULTS_SERVICE, Topics.deadLetters("results-service"));
        assertThrows(IllegalArgumentException.class, () -> Topics.deadLetters("nobody"));
    }

    private static Set<String> topicConstants() throws IllegalAccessException {
        Set<String> topics = new TreeSet<>();
        for (Field f : Topics.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class
                    && !f.getName().equals("DEAD_LETTER_PREFIX")) {
                topics.add((String) f.get(null));
            }
        }
        List<String> listed = Stream.concat(Topics.EVENT_TOPICS.stream(), Topics.DEAD_LETTER_TOPICS.stream()).toList();
        assertEquals(topics, new TreeSet<>(listed), "Topics' lists miss a constant");
        return topics;
    }

    private static JsonNode asyncApi() throws IOException {
        try (InputStream in = resource(EventType.ASYNCAPI)) {
            return YAML.readTree(in);
        }
    }

    private static JsonNode json(String resource) throws IOException {
        try (InputStream in = resource(resource)) {
            return JSON.readTree(in);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = ContractTest.class.getClassLoader().getResourceAsStream(name);
        assertNotNull(in, name + " is not on the classpath");
        return in;
    }

    private static Path folder(String name) throws URISyntaxException {
        URL url = ContractTest.class.getClassLoader().getResource(name);
        assertNotNull(url, name + " is not on the classpath");
        return Path.of(url.toURI());
    }
}
