package io.sagebench.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebench.emulator.InstanceCatalog.Accelerator;
import io.sagebench.emulator.InstanceCatalog.InstanceType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A model of a Hugging Face fine-tune, from which the emulator derives every duration, failure and metric.
 * All constants live here, each with where it comes from.
 *
 * <p>Time of one optimizer step on one device = per-device batch × 6 × parameters × sequence length (forward + backward
 * FLOPs) / the device's sustained FLOP/s; plus the gradient all-reduce (4 bytes × parameters) over NVLink inside an
 * instance and over the network between instances, of which the framework hides a share behind the backward pass; plus a
 * synchronisation cost that grows with log2 of the number of devices.
 */
final class TrainingModel {

    // --- Models: trainable parameters of known Hub checkpoints (a `num_parameters` hyperparameter overrides). ---
    static final Map<String, Long> KNOWN_MODEL_PARAMETERS = Map.of(
            "distilbert-base-uncased", 66_955_010L,   // the study's count
            "bert-base-uncased", 110_000_000L,
            "bert-large-uncased", 340_000_000L,
            "roberta-base", 125_000_000L);
    static final long DEFAULT_PARAMETERS = 110_000_000L;

    // --- Defaults when the hyperparameters do not say (Hugging Face Trainer / the study). ---
    static final int DEFAULT_SEQ_LENGTH = 512;
    static final int DEFAULT_PER_DEVICE_BATCH = 8;
    static final double REFERENCE_LEARNING_RATE = 5e-5;
    static final int REFERENCE_GLOBAL_BATCH = 32;
    static final long DEFAULT_DATASET_SIZE = 100_000;
    static final double DEFAULT_EPOCHS = 3;
    /** The study split 90% train, 10% validation (a `train_fraction` hyperparameter overrides); validation runs once per epoch. */
    static final double DEFAULT_TRAIN_FRACTION = 0.9;
    /** Evaluation is forward only: a third of a training step's FLOPs per sample. */
    static final double EVAL_COST_PER_SAMPLE = 1.0 / 3;

    // --- Communication. ---
    static final double GRADIENT_BYTES_PER_PARAMETER = 4;          // fp32 gradients
    /** Share of the all-reduce hidden behind backward: SMDDP (bucketed, asynchronous) > DDP; nn.DataParallel hides none. */
    static final double OVERLAP_SMDDP = 0.8;
    static final double OVERLAP_DDP = 0.6;
    /** Achieved share of the link's bandwidth between instances: EFA or SMDDP's own transport vs NCCL over TCP. */
    static final double NETWORK_EFFICIENCY_EFA = 0.85;
    static final double NETWORK_EFFICIENCY_SMDDP_TCP = 0.7;
    static final double NETWORK_EFFICIENCY_TCP = 0.45;
    /** Per-step barrier/straggler cost per doubling of devices (gives ~0.95 efficiency for 8 V100s with SMDDP). */
    static final double SYNC_SECONDS_PER_DOUBLING = 0.010;
    /** Single-process nn.DataParallel (a multi-GPU instance without a distribution): scatter/gather per extra GPU. */
    static final double DATA_PARALLEL_OVERHEAD_PER_EXTRA_GPU = 0.035;

    // --- Overheads (simulated seconds). ---
    static final int STARTING_MIN_SECONDS = 90;                   // instance launch + preparing the stack: 90..180 s
    static final int STARTING_JITTER_SECONDS = 90;
    static final int STARTING_PER_EXTRA_INSTANCE_SECONDS = 15;
    static final int SPOT_CAPACITY_WAIT_MAX_SECONDS = 240;        // extra wait for spot capacity before the first start
    static final int IMAGE_PULL_SECONDS = 45;                      // the Hugging Face DLC
    static final double S3_DOWNLOAD_GB_PER_SECOND = 0.25;
    static final int UPLOAD_MIN_SECONDS = 20;                      // 20..40 s + model bytes
    static final int UPLOAD_JITTER_SECONDS = 20;
    static final double S3_UPLOAD_GB_PER_SECOND = 0.1;
    /** Run-to-run variation of throughput (±, uniform): replicates differ a little. */
    static final double STEP_TIME_NOISE = 0.02;

    // --- Memory and disk. ---
    /** fp32 weights + gradients + two Adam moments. */
    static final double MODEL_STATE_BYTES_PER_PARAMETER = 16;
    /** Activation bytes per parameter per token, calibrated so distilbert at 512 × 32 just fits a 16 GiB V100 (~14.5 GiB). */
    static final double ACTIVATION_BYTES_PER_PARAMETER_TOKEN = 0.0122;
    static final double CUDA_CONTEXT_GIB = 1.0;
    /** Raw + tokenized (padded int32 ids and mask) copies of a sample on the ML storage volume. */
    static final double DISK_BYTES_PER_SAMPLE_TOKEN = 16;
    /** Checkpoints written under /opt/ml: weights + optimizer state, a few times over. */
    static final double CHECKPOINT_BYTES_PER_PARAMETER = 36;

    // --- Quality (seed README): F1 ~0.93 at global batch 32 / 100k samples, ~0.90 at 1024; ~0.95 at 600k and 1M. ---
    static final double F1_CEILING = 0.96;
    static final double F1_DATA_GAP_AT_100K = 0.03;                // ceiling - F1 at 100k samples
    static final double F1_DATA_EXPONENT = 0.8;
    /** F1 lost per halving of the learning rate below the sqrt-scaled one, at 100k samples; shrinks fast with more data. */
    static final double F1_LOSS_PER_LR_DEFICIT_AT_100K = 0.012;
    static final double F1_BATCH_SENSITIVITY_DATA_EXPONENT = 1.5;
    /** A higher learning rate recovers only part of the loss (the study: "part of the loss"). */
    static final double LR_RECOVERY = 0.6;
    static final double F1_NOISE = 0.002;

    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainingModel() {
    }

    enum Distribution { NONE, DDP, SMDDP }

    /** What the training script will do, read from the hyperparameters as the SageMaker SDK sends them. */
    record Workload(String model, long parameters, int seqLength, int perDeviceBatch, double learningRate,
                    long datasetSize, double trainFraction, long steps, Distribution distribution, InstanceType instance,
                    int instanceCount) {

        /** Devices that cooperate on one step (without a distribution each instance trains alone). */
        int devicesInStep() {
            return distribution == Distribution.NONE ? instance.devices() : instance.devices() * instanceCount;
        }

        int globalBatch() {
            return perDeviceBatch * devicesInStep();
        }

        long samples() {
            return steps * globalBatch();
        }

        double epochs() {
            return samples() / (datasetSize * trainFraction);
        }
    }

    static Workload workload(Map<String, String> hyperParameters, InstanceType instance, int instanceCount) {
        Map<String, String> hp = decode(hyperParameters);
        String model = first(hp, "model_name_or_path", "model_name", "model_id", "model");
        long parameters = longValue(hp, DEFAULT_PARAMETERS, "num_parameters", "num_parameters_tuned");
        if (!hp.containsKey("num_parameters") && !hp.containsKey("num_parameters_tuned") && model != null) {
            String shortName = model.contains("/") ? model.substring(model.lastIndexOf('/') + 1) : model;
            parameters = KNOWN_MODEL_PARAMETERS.getOrDefault(shortName, DEFAULT_PARAMETERS);
        }
        int seq = (int) longValue(hp, DEFAULT_SEQ_LENGTH, "max_seq_length", "max_length", "seq_length");
        int batch = (int) longValue(hp, DEFAULT_PER_DEVICE_BATCH, "per_device_train_batch_size", "train_batch_size",
                "batch_size");
        double lr = doubleValue(hp, REFERENCE_LEARNING_RATE, "learning_rate", "lr");
        long dataset = longValue(hp, DEFAULT_DATASET_SIZE, "dataset_size", "num_samples", "train_samples");
        double trainFraction = doubleValue(hp, DEFAULT_TRAIN_FRACTION, "train_fraction");
        if (!(trainFraction > 0 && trainFraction <= 1)) trainFraction = DEFAULT_TRAIN_FRACTION;
        Distribution distribution = Distribution.NONE;
        if (isTrue(hp.get("sagemaker_distributed_dataparallel_enabled"))) {
            distribution = Distribution.SMDDP;
        } else if (isTrue(hp.get("sagemaker_pytorch_ddp_enabled")) || isTrue(hp.get("sagemaker_torch_distributed_enabled"))
                || isTrue(hp.get("sagemaker_mpi_enabled"))) {
            distribution = Distribution.DDP;
        }
        Workload w = new Workload(model == null ? "unknown" : model, Math.max(1, parameters), Math.max(1, seq),
                Math.max(1, batch), lr > 0 ? lr : REFERENCE_LEARNING_RATE, Math.max(1, dataset), trainFraction, 1,
                distribution, instance, Math.max(1, instanceCount));
        long steps = longValue(hp, -1, "max_steps", "num_steps");
        if (steps <= 0) {
            double epochs = doubleValue(hp, DEFAULT_EPOCHS, "num_train_epochs", "epochs");
            steps = (long) Math.ceil(epochs * w.datasetSize() * trainFraction / w.globalBatch());
        }
        return new Workload(w.model(), w.parameters(), w.seqLength(), w.perDeviceBatch(), w.learningRate(),
                w.datasetSize(), trainFraction, Math.max(1, steps), distribution, instance, w.instanceCount());
    }

    // ---------------------------------------------------------------- durations

    /** Seconds of one optimizer step, without noise. */
    static double stepSeconds(Workload w) {
        InstanceType it = w.instance();
        double flopsPerDeviceStep = 6.0 * w.parameters() * w.seqLength() * w.perDeviceBatch();
        double compute = flopsPerDeviceStep / (it.accelerator().sustainedTflops * 1e12);
        int devicesPerInstance = it.devices();
        int devices = w.devicesInStep();
        double gradientBytes = GRADIENT_BYTES_PER_PARAMETER * w.parameters();

        if (w.distribution() == Distribution.NONE) {
            // nn.DataParallel inside one instance; other instances (if any) train the same thing on their own.
            return compute * (1 + DATA_PARALLEL_OVERHEAD_PER_EXTRA_GPU * (devicesPerInstance - 1))
                    + syncSeconds(devicesPerInstance);
        }
        double intra = devicesPerInstance > 1 && it.intraNodeGBps() > 0
                ? 2.0 * (devicesPerInstance - 1) / devicesPerInstance * gradientBytes / (it.intraNodeGBps() * 1e9) : 0;
        double inter = 0;
        if (w.instanceCount() > 1) {
            double efficiency = it.efa() ? NETWORK_EFFICIENCY_EFA
                    : w.distribution() == Distribution.SMDDP ? NETWORK_EFFICIENCY_SMDDP_TCP : NETWORK_EFFICIENCY_TCP;
            double bytesPerSecond = it.networkGbps() / 8 * 1e9 * efficiency;
            inter = 2.0 * (w.instanceCount() - 1) / w.instanceCount() * gradientBytes / bytesPerSecond;
        }
        double overlap = w.distribution() == Distribution.SMDDP ? OVERLAP_SMDDP : OVERLAP_DDP;
        return compute + (intra + inter) * (1 - overlap) + syncSeconds(devices);
    }

    private static double syncSeconds(int devices) {
        return devices > 1 ? SYNC_SECONDS_PER_DOUBLING * (Math.log(devices) / Math.log(2)) : 0;
    }

    /** The Training phase: all steps plus one evaluation per epoch; {@code noise} in [-1, 1]. */
    static long trainingSeconds(Workload w, double noise) {
        double step = stepSeconds(w) * (1 + STEP_TIME_NOISE * noise);
        double trainSeconds = w.steps() * step;
        double samplesPerSecond = w.globalBatch() / step;
        double evalSamples = Math.floor(w.epochs()) * w.datasetSize() * (1 - w.trainFraction());
        double evalSeconds = evalSamples * EVAL_COST_PER_SAMPLE / samplesPerSecond;
        return Math.max(1, Math.round(trainSeconds + evalSeconds));
    }

    static long startingSeconds(Workload w, Random random, boolean spot) {
        long s = STARTING_MIN_SECONDS + random.nextInt(STARTING_JITTER_SECONDS + 1)
                + (long) STARTING_PER_EXTRA_INSTANCE_SECONDS * (w.instanceCount() - 1);
        return spot ? s + random.nextInt(SPOT_CAPACITY_WAIT_MAX_SECONDS + 1) : s;
    }

    static long downloadingSeconds(Workload w) {
        double dataGb = w.datasetSize() * w.seqLength() * DISK_BYTES_PER_SAMPLE_TOKEN / 2 / 1e9; // one copy travels
        return IMAGE_PULL_SECONDS + Math.round(dataGb / S3_DOWNLOAD_GB_PER_SECOND);
    }

    static long uploadingSeconds(Workload w, Random random) {
        double modelGb = GRADIENT_BYTES_PER_PARAMETER * w.parameters() / 1e9;
        return UPLOAD_MIN_SECONDS + random.nextInt(UPLOAD_JITTER_SECONDS + 1) + Math.round(modelGb / S3_UPLOAD_GB_PER_SECOND);
    }

    // ---------------------------------------------------------------- failures

    static double requiredDeviceMemoryGiB(Workload w) {
        double bytes = MODEL_STATE_BYTES_PER_PARAMETER * w.parameters()
                + ACTIVATION_BYTES_PER_PARAMETER_TOKEN * w.parameters() * w.seqLength() * w.perDeviceBatch();
        return bytes / (1L << 30) + CUDA_CONTEXT_GIB;
    }

    static double requiredVolumeGB(Workload w) {
        return (w.datasetSize() * w.seqLength() * DISK_BYTES_PER_SAMPLE_TOKEN
                + CHECKPOINT_BYTES_PER_PARAMETER * w.parameters()) / 1e9;
    }

    /** The FailureReason of a job whose per-device batch does not fit the accelerator's memory, else null. */
    static String outOfMemoryReason(Workload w) {
        if (w.instance().accelerator() == Accelerator.CPU) return null;
        double need = requiredDeviceMemoryGiB(w);
        double have = w.instance().deviceMemoryGiB();
        if (need <= have) return null;
        return String.format(Locale.ROOT, "AlgorithmError: ExecuteUserScriptError: ExitCode 1 ErrorMessage \"RuntimeError: "
                + "CUDA out of memory. Tried to allocate %.2f GiB (GPU 0; %.2f GiB total capacity; per_device_train_batch_size"
                + " %d at sequence length %d needs about %.1f GiB)\"", need - have, have, w.perDeviceBatch(), w.seqLength(),
                need);
    }

    /** The FailureReason of a job whose data does not fit its ML storage volume (the study's ArchiveError), else null. */
    static String volumeTooSmallReason(Workload w, int volumeSizeInGB) {
        double need = requiredVolumeGB(w);
        if (need <= volumeSizeInGB) return null;
        return String.format(Locale.ROOT, "ClientError: ArchiveError: No space left on device while extracting the input "
                + "data; the ML storage volume (VolumeSizeInGB=%d) is too small, about %.0f GB are needed", volumeSizeInGB,
                Math.ceil(need));
    }

    // ---------------------------------------------------------------- metrics

    static double f1(Workload w, Random random) {
        double dataRatio = 100_000.0 / w.datasetSize();
        double base = F1_CEILING - F1_DATA_GAP_AT_100K * Math.pow(dataRatio, F1_DATA_EXPONENT);
        // Halvings of the learning rate below the sqrt-scaled ideal for this global batch, partly recovered by a higher lr.
        double idealHalvings = 0.5 * log2((double) w.globalBatch() / REFERENCE_GLOBAL_BATCH);
        double lrDoublings = log2(w.learningRate() / REFERENCE_LEARNING_RATE);
        double deficit = Math.max(0, idealHalvings - LR_RECOVERY * lrDoublings);
        double overshoot = Math.max(0, lrDoublings - idealHalvings - 1);   // far above the ideal lr training degrades
        double sensitivity = F1_LOSS_PER_LR_DEFICIT_AT_100K * Math.pow(dataRatio, F1_BATCH_SENSITIVITY_DATA_EXPONENT);
        double f1 = base - sensitivity * deficit - 0.02 * overshoot * overshoot + F1_NOISE * random.nextGaussian();
        return clamp(f1, 0.5, 0.999);
    }

    /** Final value of every metric definition the model can produce, keyed by the definition's name. */
    static Map<String, Double> finalMetrics(List<String> metricNames, Workload w, long trainingSeconds, Random random) {
        double f1 = f1(w, random);
        double accuracy = clamp(f1 + 0.002 + 0.001 * random.nextGaussian(), 0.5, 0.999);
        double evalLoss = 0.08 + 2.5 * (1 - f1) + 0.005 * random.nextGaussian();
        double trainLoss = evalLoss * 0.75;
        Map<String, Double> out = new LinkedHashMap<>();
        for (String name : metricNames) {
            String n = name.toLowerCase(Locale.ROOT);
            Double v = null;
            if (n.contains("f1")) v = f1;
            else if (n.contains("accuracy") || n.endsWith("acc")) v = accuracy;
            else if (n.contains("samples_per_second")) v = w.samples() / (double) trainingSeconds;
            else if (n.contains("steps_per_second")) v = w.steps() / (double) trainingSeconds;
            else if (n.contains("runtime")) v = (double) trainingSeconds;
            else if (n.contains("eval_loss") || n.contains("validation_loss") || n.contains("val_loss")) v = evalLoss;
            else if (n.contains("loss")) v = trainLoss;
            else if (n.equals("epoch")) v = w.epochs();
            if (v != null) out.put(name, round6(v));
        }
        return out;
    }

    // ---------------------------------------------------------------- hyperparameter decoding

    /** The SDK JSON-encodes every value ({@code "\"distilbert-base-uncased\""}, {@code "32"}); read them back. */
    static Map<String, String> decode(Map<String, String> hyperParameters) {
        Map<String, String> out = new LinkedHashMap<>();
        if (hyperParameters == null) return out;
        hyperParameters.forEach((k, v) -> out.put(k, decodeValue(v)));
        return out;
    }

    static String decodeValue(String v) {
        if (v == null) return null;
        String t = v.trim();
        if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
            try {
                JsonNode n = JSON.readTree(t);
                if (n.isTextual()) return n.textValue();
            } catch (Exception ignored) {
                // not valid JSON: take it as written
            }
        }
        return t;
    }

    private static String first(Map<String, String> hp, String... keys) {
        for (String k : keys) {
            String v = hp.get(k);
            if (v != null && !v.isBlank()) return v;
        }
        return null;
    }

    private static long longValue(Map<String, String> hp, long fallback, String... keys) {
        String v = first(hp, keys);
        if (v == null) return fallback;
        try {
            return Math.round(Double.parseDouble(v));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static double doubleValue(Map<String, String> hp, double fallback, String... keys) {
        String v = first(hp, keys);
        if (v == null) return fallback;
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static boolean isTrue(String v) {
        return v != null && v.equalsIgnoreCase("true");
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static double round6(double v) {
        return Math.round(v * 1e6) / 1e6;
    }
}
