package io.sagebench.design.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The instance catalog shipped in the jar as {@code catalog/instance-catalog.json}; read, never copied. */
public final class InstanceCatalog {

    public static final String RESOURCE = "sagebench/catalog/instance-catalog.json";

    private final String version;
    private final Map<String, InstanceSpec> byType;

    public InstanceCatalog(String version, Map<String, InstanceSpec> byType) {
        this.version = version;
        this.byType = Map.copyOf(byType);
    }

    public static InstanceCatalog fromClasspath() {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath (the build copies it from docs/catalog)");
            }
            return parse(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    static InstanceCatalog parse(JsonNode root) {
        Map<String, InstanceSpec> types = new LinkedHashMap<>();
        for (JsonNode i : root.path("instances")) {
            InstanceSpec spec = new InstanceSpec(i.path("instanceType").asText(), i.path("gpus").asInt(),
                    i.path("gpuModel").asText(), i.path("gpuMemoryGiB").asInt(), i.path("smdistributed").asBoolean(),
                    i.path("efa").asBoolean(), i.path("gpuRelativeSpeed").asDouble());
            types.put(spec.instanceType(), spec);
        }
        return new InstanceCatalog(root.path("version").asText(), types);
    }

    public Optional<InstanceSpec> find(String instanceType) {
        return Optional.ofNullable(byType.get(instanceType));
    }

    public java.util.Set<String> instanceTypes() {
        return new java.util.TreeSet<>(byType.keySet());
    }

    public String version() {
        return version;
    }
}
