package io.sagebench.design.domain;

/**
 * The simple physics behind quotes, volumes and the GPU-memory check, calibrated on the seed's one measured point:
 * distilbert-base-uncased (66,955,010 parameters) at sequence length 512, per-device batch 32, fp32 on one V100
 * trains at about 41 samples/s. See design-service/README.md ("Quote model") for the formulas.
 */
public final class TrainingModel {

    public static final double REFERENCE_SAMPLES_PER_SECOND = 41.0;
    public static final double REFERENCE_PARAMETER_TOKENS = 66_955_010.0 * 512;

    /** All-reduce over NVLink inside one instance costs about 10 % of the ideal speedup. */
    public static final double SINGLE_INSTANCE_MULTI_GPU_EFFICIENCY = 0.90;
    /** Across instances the gradient all-reduce crosses the network: EFA loses less than plain TCP. */
    public static final double MULTI_INSTANCE_EFA_EFFICIENCY = 0.90 * 0.90;
    public static final double MULTI_INSTANCE_TCP_EFFICIENCY = 0.90 * 0.85;

    /** fp32 weights, gradients and two Adam moments: 16 bytes per parameter on every GPU. */
    public static final double TRAINING_STATE_BYTES_PER_PARAMETER = 16;
    /**
     * Activation memory per parameter-token (fp32, no gradient checkpointing), calibrated so that distilbert at 512
     * tokens fits batch 32 on a 16 GiB V100 (the study's choice) but not batch 48 (the study hit a CUDA OOM near 32).
     */
    public static final double ACTIVATION_BYTES_PER_PARAMETER_TOKEN = 0.0102;
    /** Leave some GPU memory for the CUDA context and allocator fragmentation. */
    public static final double USABLE_GPU_MEMORY_FRACTION = 0.95;

    /** input_ids and attention_mask as int64, the way Hugging Face datasets stores tokenized text. */
    public static final int TOKEN_BYTES = 16;
    /** S3 download in /opt/ml/input, the datasets cache, and the Arrow copy written by map(). */
    public static final int DATA_COPIES = 3;
    /** Final fp32 weights plus two kept checkpoints of weights and Adam moments: 4 × (1 + 2 × 3) bytes per parameter. */
    public static final int MODEL_AND_CHECKPOINT_BYTES_PER_PARAMETER = 28;
    public static final double VOLUME_HEADROOM = 1.25;
    public static final int VOLUME_BASE_GB = 10;
    public static final int MIN_VOLUME_GB = 30;
    public static final int MAX_VOLUME_GB = 16384;

    private TrainingModel() {
    }

    public static double scalingEfficiency(InstanceSpec instance, int instanceCount) {
        if (instanceCount > 1) {
            return instance.efa() ? MULTI_INSTANCE_EFA_EFFICIENCY : MULTI_INSTANCE_TCP_EFFICIENCY;
        }
        return instance.gpus() > 1 ? SINGLE_INSTANCE_MULTI_GPU_EFFICIENCY : 1.0;
    }

    /** Cluster throughput in samples per second. */
    public static double samplesPerSecond(Design.Model model, InstanceSpec instance, int instanceCount) {
        double perGpu = REFERENCE_SAMPLES_PER_SECOND * REFERENCE_PARAMETER_TOKENS
                / ((double) model.parameters() * model.sequenceLength()) * instance.gpuRelativeSpeed();
        int totalGpus = instance.gpus() * instanceCount;
        return perGpu * totalGpus * scalingEfficiency(instance, instanceCount);
    }

    /** Quoted wall-clock seconds of a run: startup overhead plus the samples it trains on at the cluster's throughput. */
    public static long quotedSeconds(Design.Model model, InstanceSpec instance, int instanceCount, long trainedSamples,
                                     int startupOverheadSeconds) {
        return startupOverheadSeconds + (long) Math.ceil(trainedSamples / samplesPerSecond(model, instance, instanceCount));
    }

    /** Estimated bytes one GPU needs to train with this per-device batch. */
    public static double gpuBytesNeeded(Design.Model model, int perDeviceBatchSize) {
        return model.parameters() * TRAINING_STATE_BYTES_PER_PARAMETER
                + (double) perDeviceBatchSize * model.parameters() * model.sequenceLength() * ACTIVATION_BYTES_PER_PARAMETER_TOKEN;
    }

    public static double gpuBytesUsable(InstanceSpec instance) {
        return instance.gpuMemoryGiB() * 1024.0 * 1024 * 1024 * USABLE_GPU_MEMORY_FRACTION;
    }

    /** EBS volume per instance, in GB: every instance holds the whole dataset in File mode. */
    public static int volumeSizeGb(Design.Model model, long datasetSize) {
        double dataBytes = (double) datasetSize * model.sequenceLength() * TOKEN_BYTES * DATA_COPIES;
        double modelBytes = (double) model.parameters() * MODEL_AND_CHECKPOINT_BYTES_PER_PARAMETER;
        long gb = (long) Math.ceil((dataBytes + modelBytes) * VOLUME_HEADROOM / 1e9) + VOLUME_BASE_GB;
        return (int) Math.max(MIN_VOLUME_GB, Math.min(MAX_VOLUME_GB, gb));
    }
}
