package io.sagebench.contracts.catalog;

/**
 * One SageMaker instance type of the catalog.
 *
 * @param gpus              accelerators per instance (0 for types sagebench cannot train on)
 * @param gpuRelativeSpeed  sustained training throughput of one accelerator relative to a V100
 * @param networkGbps       network line rate between instances, Gbit/s
 * @param intraInstanceGBps all-reduce bus bandwidth between the accelerators of one instance, GB/s (0 with one GPU)
 */
public record InstanceSpec(String instanceType, int gpus, String gpuModel, int gpuMemoryGiB, boolean smdistributed,
                           boolean efa, double gpuRelativeSpeed, double networkGbps, double intraInstanceGBps) {
}
