package io.sagebench.design.domain;

/** One entry of the instance catalog (docs/catalog/instance-catalog.json). */
public record InstanceSpec(String instanceType, int gpus, String gpuModel, int gpuMemoryGiB, boolean smdistributed,
                           boolean efa, double gpuRelativeSpeed) {
}
