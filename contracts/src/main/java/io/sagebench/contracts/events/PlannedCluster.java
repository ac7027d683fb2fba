package io.sagebench.contracts.events;

/** A cluster with the GPU counts design-service derived for it (common.schema.json's {@code plannedCluster}). */
public record PlannedCluster(String instanceType, int instanceCount, int gpusPerInstance, int totalGpus,
                             Distribution distribution) {
}
