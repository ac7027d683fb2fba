package io.sagebench.contracts.catalog;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The SageMaker instance types sagebench knows, from {@value #RESOURCE}. */
public final class InstanceCatalog {

    public static final String RESOURCE = "sagebench/catalog/instance-catalog.json";

    private final String version;
    private final Map<String, InstanceSpec> byType;

    public InstanceCatalog(String version, List<InstanceSpec> instances) {
        Map<String, InstanceSpec> types = new LinkedHashMap<>();
        for (InstanceSpec spec : instances) {
            if (types.put(spec.instanceType(), spec) != null) {
                throw new IllegalArgumentException("instance type " + spec.instanceType() + " is listed twice");
            }
        }
        this.version = version;
        this.byType = types;
    }

    /** The catalog bundled with this jar. */
    public static InstanceCatalog fromClasspath() {
        return parse(CatalogJson.readResource(RESOURCE));
    }

    public static InstanceCatalog parse(InputStream json) throws IOException {
        return parse(CatalogJson.read(json));
    }

    static InstanceCatalog parse(JsonNode root) {
        List<InstanceSpec> instances = new ArrayList<>();
        for (JsonNode i : root.path("instances")) {
            String where = "instance " + i.path("instanceType").asText("#" + instances.size());
            instances.add(new InstanceSpec(CatalogJson.text(i, "instanceType", where),
                    CatalogJson.integer(i, "gpus", where), CatalogJson.text(i, "gpuModel", where),
                    CatalogJson.integer(i, "gpuMemoryGiB", where), CatalogJson.bool(i, "smdistributed", where),
                    CatalogJson.bool(i, "efa", where), CatalogJson.number(i, "gpuRelativeSpeed", where),
                    CatalogJson.number(i, "networkGbps", where), CatalogJson.number(i, "intraInstanceGBps", where)));
        }
        if (instances.isEmpty()) {
            throw new IllegalArgumentException("the instance catalog lists no instances");
        }
        return new InstanceCatalog(CatalogJson.text(root, "version", "the instance catalog"), instances);
    }

    public Optional<InstanceSpec> find(String instanceType) {
        return Optional.ofNullable(byType.get(instanceType));
    }

    /** The instance type names, sorted. */
    public Set<String> instanceTypes() {
        return new TreeSet<>(byType.keySet());
    }

    /** Every entry, in the file's order. */
    public List<InstanceSpec> instances() {
        return List.copyOf(byType.values());
    }

    public String version() {
        return version;
    }
}
