package io.sagebench.contracts.events;

/** A cluster as a designer asks for it (common.schema.json's {@code cluster}). */
public record Cluster(String instanceType, int instanceCount, Distribution distribution) {
}
