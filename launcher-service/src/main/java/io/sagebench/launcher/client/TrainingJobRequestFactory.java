package io.sagebench.launcher.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.sagebench.contracts.ids.JobNames;
import io.sagebench.contracts.ids.JobTags;
import io.sagebench.launcher.domain.InvalidEventException;
import io.sagebench.launcher.domain.LaunchSettings;
import io.sagebench.launcher.domain.PythonJson;
import io.sagebench.launcher.domain.RunPlan;
import software.amazon.awssdk.services.sagemaker.model.AlgorithmSpecification;
import software.amazon.awssdk.services.sagemaker.model.Channel;
import software.amazon.awssdk.services.sagemaker.model.CheckpointConfig;
import software.amazon.awssdk.services.sagemaker.model.CreateTrainingJobRequest;
import software.amazon.awssdk.services.sagemaker.model.DataSource;
import software.amazon.awssdk.services.sagemaker.model.MetricDefinition;
import software.amazon.awssdk.services.sagemaker.model.OutputDataConfig;
import software.amazon.awssdk.services.sagemaker.model.ResourceConfig;
import software.amazon.awssdk.services.sagemaker.model.S3DataDistribution;
import software.amazon.awssdk.services.sagemaker.model.S3DataSource;
import software.amazon.awssdk.services.sagemaker.model.S3DataType;
import software.amazon.awssdk.services.sagemaker.model.StoppingCondition;
import software.amazon.awssdk.services.sagemaker.model.Tag;
import software.amazon.awssdk.services.sagemaker.model.TrainingInputMode;

/**
 * Builds the CreateTrainingJob request the SageMaker Python SDK's HuggingFace estimator would send for a run
 * (session.py {@code _get_train_request}). Pure: same run + attempt + settings
 * give the same request, which is what makes a retry safe.
 */
@Singleton
public final class TrainingJobRequestFactory {
    public static final String CHECKPOINT_LOCAL_PATH = "/opt/ml/checkpoints";
    private static final Pattern TRACEPARENT = Pattern.compile("^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$");

    /** The metrics train.py prints through the Trainer's log dicts, in the regex style of the HF/AWS notebooks. */
    public static final List<String> METRIC_NAMES = List.of(
            "eval_f1_score", "eval_loss", "train_runtime", "train_samples_per_second", "loss");

    /** Rule names shared with design-service's rejections (docs/security.md, "What a design may carry"). */
    public static final String RESERVED_HYPERPARAMETER = "reserved-hyperparameter";
    public static final String IMAGE_NOT_ALLOWED = "image-not-allowed";
    static final String RESERVED_PREFIX = "sagemaker_";

    private final LaunchSettings settings;

    @Inject
    public TrainingJobRequestFactory(LaunchSettings settings) {
        this.settings = settings;
    }

    public static String metricRegex(String name) {
        return "'" + name + "': ([0-9]+(.|e\\-)[0-9]+),?";
    }

    public CreateTrainingJobRequest build(RunPlan run, int attempt) {
        return build(run, attempt, null);
    }

    /**
     * @param traceparent the run's W3C trace context, set as the {@code sagebench:traceparent} tag when well formed:
     *                    monitor-service continues the design's trace from it for state changes that arrive before
     *                    the job's RunLaunched. The run's stored value, so a retried call sends the same request.
     */
    public CreateTrainingJobRequest build(RunPlan run, int attempt, String traceparent) {
        List<String> problems = problems(run);
        if (!problems.isEmpty()) {
            throw new InvalidEventException(problems, run.runId(), run.designId());
        }
        String jobName = JobNames.of(run.runId(), attempt);
        String bucketRoot = "s3://" + settings.bucket() + "/";

        var builder = CreateTrainingJobRequest.builder()
                .trainingJobName(jobName)
                .hyperParameters(hyperparameters(run, jobName))
                .algorithmSpecification(AlgorithmSpecification.builder()
                        .trainingImage(settings.trainingImage())
                        .trainingInputMode(TrainingInputMode.FILE)
                        .metricDefinitions(METRIC_NAMES.stream()
                                .map(n -> MetricDefinition.builder().name(n).regex(metricRegex(n)).build())
                                .toList())
                        .enableSageMakerMetricsTimeSeries(true)
                        .build())
                .roleArn(settings.roleArn())
                .inputDataConfig(Channel.builder()
                        .channelName("train")
                        .dataSource(DataSource.builder().s3DataSource(S3DataSource.builder()
                                .s3DataType(S3DataType.S3_PREFIX)
                                .s3Uri(settings.datasetUri(run.datasetHubId(), run.datasetSize()))
                                .s3DataDistributionType(S3DataDistribution.FULLY_REPLICATED)
                                .build()).build())
                        .build())
                .outputDataConfig(OutputDataConfig.builder().s3OutputPath(bucketRoot).build())
                // The study's tooling dropped the volume size and large datasets died with ArchiveError: always send it.
                .resourceConfig(ResourceConfig.builder()
                        .volumeSizeInGB(run.volumeSizeGb())
                        .instanceCount(run.instanceCount())
                        .instanceType(run.instanceType())
                        .build())
                .tags(tags(run, attempt, traceparent));

        if (run.spot()) {
            builder.stoppingCondition(StoppingCondition.builder()
                            .maxRuntimeInSeconds(run.maxRuntimeSeconds())
                            .maxWaitTimeInSeconds(maxWait(run))
                            .build())
                    .enableManagedSpotTraining(true)
                    .checkpointConfig(CheckpointConfig.builder()
                            .s3Uri(bucketRoot + "checkpoints/" + run.runId())
                            .localPath(CHECKPOINT_LOCAL_PATH)
                            .build());
        } else {
            // MaxWaitTimeInSeconds without spot is a ValidationException, so it is only ever sent with spot.
            builder.stoppingCondition(StoppingCondition.builder().maxRuntimeInSeconds(run.maxRuntimeSeconds()).build());
        }
        return builder.build();
    }

    /** Spot jobs must be allowed to wait at least as long as they run; default twice the runtime, as SDK examples do. */
    static int maxWait(RunPlan run) {
        return run.maxWaitSeconds() != null ? run.maxWaitSeconds() : run.maxRuntimeSeconds() * 2;
    }

    Map<String, String> hyperparameters(RunPlan run, String jobName) {
        Map<String, String> hp = new LinkedHashMap<>();
        hp.put("model_name_or_path", PythonJson.string(run.modelHubId()));
        hp.put("dataset_name", PythonJson.string(run.datasetHubId()));
        hp.put("dataset_size", PythonJson.integer(run.datasetSize()));
        hp.put("train_fraction", PythonJson.floating(run.trainFraction() == null ? 0.9 : run.trainFraction()));
        hp.put("split_seed", PythonJson.integer(run.splitSeed() == null ? 42 : run.splitSeed()));
        hp.put("max_steps", PythonJson.integer(run.steps()));
        hp.put("epochs", PythonJson.number(run.epochs()));
        hp.put("per_device_train_batch_size", PythonJson.integer(run.perDeviceBatchSize()));
        hp.put("learning_rate", PythonJson.floating(run.learningRate()));
        hp.put("max_seq_length", PythonJson.integer(run.sequenceLength() == null ? 512 : run.sequenceLength()));
        // Replicates differ only by their training seed; replicate 1 uses the customary 42.
        hp.put("seed", PythonJson.integer(41L + run.replicate()));
        // The design's own hyperparameters win over the derived ones, as estimator hyperparameters would.
        run.hyperparameters().forEach((k, v) -> hp.put(k, PythonJson.inferred(v)));

        // Script mode (EstimatorBase._script_mode_hyperparam_update) and distribution (_distribution_configuration):
        // these are what the DLC's entry point reads, so the design cannot override them.
        hp.put("sagemaker_program", PythonJson.string(settings.entryPoint()));
        hp.put("sagemaker_submit_directory", PythonJson.string(settings.submitDirectory(jobName)));
        hp.put("sagemaker_container_log_level", PythonJson.integer(settings.containerLogLevel()));
        hp.put("sagemaker_job_name", PythonJson.string(jobName));
        hp.put("sagemaker_region", PythonJson.string(settings.region()));
        switch (run.distribution()) {
            case SMDISTRIBUTED -> {
                hp.put("sagemaker_distributed_dataparallel_enabled", PythonJson.bool(true));
                hp.put("sagemaker_instance_type", PythonJson.string(run.instanceType()));
                hp.put("sagemaker_distributed_dataparallel_custom_mpi_options", PythonJson.string(""));
            }
            case PYTORCH_DDP -> hp.put("sagemaker_pytorch_ddp_enabled", PythonJson.bool(true));
            case NONE -> {
            }
        }
        return hp;
    }

    /** What SageMaker would reject, or the security rules forbid, found before spending a rate slot on it. */
    public List<String> problems(RunPlan run) {
        List<String> problems = new ArrayList<>();
        // Defense in depth (docs/security.md): design-service refuses these too, but a record can reach bench.runs
        // without passing through it.
        if (!settings.imageAllowlist().allows(settings.trainingImage())) {
            problems.add(IMAGE_NOT_ALLOWED + ": the configured training image " + settings.trainingImage()
                    + " is outside sagebench.launcher.image-allowlist " + settings.imageAllowlist().entries());
        }
        if (run.requestedImage() != null && (!run.requestedImage().equals(settings.trainingImage())
                || !settings.imageAllowlist().allows(run.requestedImage()))) {
            problems.add("$.trainingImage: " + IMAGE_NOT_ALLOWED + ": '" + run.requestedImage()
                    + "' is not the launcher's image; the image comes from the launcher's allowlist, never from a run");
        }
        run.hyperparameters().keySet().stream()
                .filter(k -> k.toLowerCase(Locale.ROOT).startsWith(RESERVED_PREFIX)).sorted()
                .forEach(k -> problems.add("$.hyperparameters." + k + ": " + RESERVED_HYPERPARAMETER
                        + ": keys starting with " + RESERVED_PREFIX + " are set by the launcher only"));
        if (run.region() != null && !run.region().equals(settings.region())) {
            problems.add("$.region: run is for region " + run.region() + " but this launcher serves " + settings.region());
        }
        if (run.spot() && run.maxWaitSeconds() != null && run.maxWaitSeconds() < run.maxRuntimeSeconds()) {
            problems.add("$.maxWaitSeconds: " + run.maxWaitSeconds() + " is less than maxRuntimeSeconds "
                    + run.maxRuntimeSeconds() + " (SageMaker requires MaxWaitTimeInSeconds >= MaxRuntimeInSeconds)");
        }
        if (run.hyperparameters().size() + 20 > 100) {
            problems.add("$.hyperparameters: " + run.hyperparameters().size()
                    + " entries; SageMaker accepts at most 100 hyperparameters including the ~20 the launcher adds");
        }
        run.hyperparameters().forEach((k, v) -> {
            if (k.length() > 256) {
                problems.add("$.hyperparameters['" + k.substring(0, 20) + "...']: name longer than 256 characters");
            }
            if (PythonJson.inferred(v).length() > 2500) {
                problems.add("$.hyperparameters['" + k + "']: value longer than 2500 characters");
            }
        });
        return problems;
    }

    private static List<Tag> tags(RunPlan run, int attempt, String traceparent) {
        List<Tag> tags = new ArrayList<>(List.of(tag(JobTags.DESIGN_ID, run.designId()),
                tag(JobTags.RUN_ID, run.runId()), tag(JobTags.CELL_ID, run.cellId()),
                tag(JobTags.ATTEMPT, Integer.toString(attempt))));
        if (traceparent != null && TRACEPARENT.matcher(traceparent).matches()) {
            tags.add(tag(JobTags.TRACEPARENT, traceparent));
        }
        return tags;
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }
}
