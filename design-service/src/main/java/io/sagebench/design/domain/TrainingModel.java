package io.sagebench.design.domain;

import io.sagebench.contracts.catalog.InstanceSpec;

/**
 * The simple physics behind quotes, volumes and the GPU-memory check, in one place; docs/quote-model.md explains each
 * formula and constant. A run's time is a startup overhead plus, per step, the compute of the per-device batch
 * (6 FLOPs per parameter per token, at a sustained GPU throughput calibrated on the seed's one measured point:
 * distilbert-base-uncased, sequence length 512, batch 32, fp32, one V100, 41 samples/s) and a gradient all-reduce
 * (ring over NVLink inside an instance, then over the network between instances; not overlapped, so it errs high).
 */
public final class TrainingModel {

    /** Forward (2) plus backward (4) FLOPs per parameter per token of a dense transformer. */
    public static final double FLOPS_PER_PARAMETER_TOKEN = 6;

    /** The seed's calibration point: distilbert-base-uncased at 512 tokens trains at 41 samples/s on one V100. */
    public static final double CALIBRATION_SAMPLES_PER_SECOND = 41.0;
    public static final long CALIBRATION_PARAMETERS = 66_955_010L;
    public static final int CALIBRATION_SEQUENCE_LENGTH = 512;

    /** Sustained training FLOP/s of one V100 implied by the calibration point (≈ 8.43 TFLOP/s). */
    public static final double V100_SUSTAINED_FLOPS = CALIBRATION_SAMPLES_PER_SECOND * FLOPS_PER_PARAMETER_TOKEN
            * CALIBRATION_PARAMETERS * CALIBRATION_SEQUENCE_LENGTH;
    /** V100 SXM2 fp32 peak (the p3 family): the calibrated utilization is V100_SUSTAINED_FLOPS / this ≈ 0.54. */
    public static final double V100_PEAK_FP32_FLOPS = 15.7e12;

    /** fp32 gradients are all-reduced every step. */
    public static final int GRADIENT_BYTES_PER_PARAMETER = 4;
    /** NCCL over TCP sockets reaches about 70 % of the line rate; over EFA about 90 %. */
    public static final double TCP_NETWORK_EFFICIENCY = 0.70;
    public static final double EFA_NETWORK_EFFICIENCY = 0.90;

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

    /** Network line rate between instances, Gbit/s; a type the catalog gives none for: 100 with EFA, else 10. */
    static double networkGbps(InstanceSpec instance) {
        return instance.networkGbps() > 0 ? instance.networkGbps() : instance.efa() ? 100 : 10;
    }

    /** All-reduce bandwidth between the GPUs of one instance, GB/s; a type the catalog gives none for: 10. */
    static double intraInstanceGBps(InstanceSpec instance) {
        return instance.intraInstanceGBps() > 0 ? instance.intraInstanceGBps() : 10;
    }

    /** Sustained training FLOP/s of one GPU of this instance type (the catalog's speed relative to a V100). */
    public static double sustainedFlopsPerGpu(InstanceSpec instance) {
        return V100_SUSTAINED_FLOPS * instance.gpuRelativeSpeed();
    }

    /** Training FLOPs of one sample: 6 × parameters × sequence length. */
    public static double flopsPerSample(Design.Model model) {
        return FLOPS_PER_PARAMETER_TOKEN * model.parameters() * model.sequenceLength();
    }

    /** Seconds of forward and backward for one step: every GPU works on its per-device batch in parallel. */
    public static double computeSecondsPerStep(Design.Model model, InstanceSpec instance, int perDeviceBatchSize) {
        return perDeviceBatchSize * flopsPerSample(model) / sustainedFlopsPerGpu(instance);
    }

    /**
     * Seconds of one step's gradient all-reduce: a ring over the instance's GPUs moves 2 (g − 1) / g of the gradient
     * bytes over the intra-instance links, then a ring over the instances moves 2 (n − 1) / n of them through each
     * instance's network interface (hierarchical all-reduce, as smdistributed and NCCL do). Zero on one GPU.
     */
    public static double allReduceSecondsPerStep(Design.Model model, InstanceSpec instance, int instanceCount) {
        double gradientBytes = (double) model.parameters() * GRADIENT_BYTES_PER_PARAMETER;
        double seconds = 0;
        int g = instance.gpus();
        if (g > 1) {
            seconds += 2.0 * (g - 1) / g * gradientBytes / (intraInstanceGBps(instance) * 1e9);
        }
        if (instanceCount > 1) {
            double efficiency = instance.efa() ? EFA_NETWORK_EFFICIENCY : TCP_NETWORK_EFFICIENCY;
            double networkBytesPerSecond = networkGbps(instance) * 1e9 / 8 * efficiency;
            seconds += 2.0 * (instanceCount - 1) / instanceCount * gradientBytes / networkBytesPerSecond;
        }
        return seconds;
    }

    /** Quoted wall-clock seconds of a run: startup overhead plus steps × (compute + all-reduce), rounded up. */
    public static long quotedSeconds(Design.Model model, InstanceSpec instance, int instanceCount, int perDeviceBatchSize,
                                     long steps, int startupOverheadSeconds) {
        double perStep = computeSecondsPerStep(model, instance, perDeviceBatchSize)
                + allReduceSecondsPerStep(model, instance, instanceCount);
        return startupOverheadSeconds + (long) Math.ceil(steps * perStep);
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
