package io.sagebench.emulator;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.CreateTrainingJobRequest;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.MetricDefinition;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemaker.model.Tag;
import software.amazon.awssdk.services.sagemaker.model.TrainingInputMode;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Shared helpers: the real SDK client (no retries, dummy credentials) and launcher-like requests. */
final class TestJobs {

    static final String IMAGE = "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-training:"
            + "2.1.0-transformers4.36.0-gpu-py310-cu121-ubuntu20.04";
    static final String ROLE = "arn:aws:iam::000000000000:role/SageMakerExecutionRole";

    private TestJobs() {
    }

    static SageMakerClient client(SageMakerEmulator emulator) {
        return SageMakerClient.builder()
                .endpointOverride(emulator.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    /** No API rate limit (tests create jobs back to back), high clock factor. */
    static EmulatorConfig.Builder fastConfig() {
        return EmulatorConfig.builder().port(0).clockFactor(5000).seed(7).createTrainingJobRateLimit(0, 1);
    }

    /** Hyperparameters as the launcher sends them (JSON-encoded strings, like the SageMaker Python SDK). */
    static Map<String, String> hyperParameters(String model, long maxSteps, int perDeviceBatch, long datasetSize,
                                               boolean smddp, String learningRate) {
        Map<String, String> hp = new LinkedHashMap<>();
        hp.put("model_name_or_path", "\"" + model + "\"");
        hp.put("max_steps", Long.toString(maxSteps));
        hp.put("per_device_train_batch_size", Integer.toString(perDeviceBatch));
        hp.put("learning_rate", learningRate);
        hp.put("max_seq_length", "512");
        hp.put("dataset_size", Long.toString(datasetSize));
        if (smddp) hp.put("sagemaker_distributed_dataparallel_enabled", "true");
        hp.put("sagemaker_program", "\"train.py\"");
        return hp;
    }

    static CreateTrainingJobRequest.Builder request(String name, String instanceType, int count,
                                                    Map<String, String> hyperParameters) {
        return CreateTrainingJobRequest.builder()
                .trainingJobName(name)
                .roleArn(ROLE)
                .algorithmSpecification(a -> a.trainingImage(IMAGE).trainingInputMode(TrainingInputMode.FILE)
                        .metricDefinitions(
                                MetricDefinition.builder().name("eval_f1_score")
                                        .regex("'eval_f1_score': ([0-9]+(.|e\\-)[0-9]+),?").build(),
                                MetricDefinition.builder().name("eval_loss")
                                        .regex("'eval_loss': ([0-9]+(.|e\\-)[0-9]+),?").build(),
                                MetricDefinition.builder().name("train_runtime")
                                        .regex("'train_runtime': ([0-9]+(.|e\\-)[0-9]+),?").build()))
                .inputDataConfig(c -> c.channelName("train").dataSource(d -> d.s3DataSource(
                        s -> s.s3DataType("S3Prefix").s3Uri("s3://bench-data/amazon_polarity/train")
                                .s3DataDistributionType("FullyReplicated"))))
                .outputDataConfig(o -> o.s3OutputPath("s3://sagemaker-us-east-1-000000000000/"))
                .resourceConfig(r -> r.instanceType(instanceType).instanceCount(count).volumeSizeInGB(30))
                .stoppingCondition(s -> s.maxRuntimeInSeconds(86400))
                .hyperParameters(hyperParameters)
                .tags(Tag.builder().key("sagebench:run-id").value(name).build());
    }

    /** A small distilbert job on one V100 (about 1,000 simulated seconds in all). */
    static CreateTrainingJobRequest.Builder smallJob(String name) {
        return request(name, "ml.p3.2xlarge", 1,
                hyperParameters("distilbert-base-uncased", 1000, 32, 100_000, false, "5e-05"));
    }

    static DescribeTrainingJobResponse awaitStatus(SageMakerClient sm, String name, Duration timeout,
                                                   TrainingJobStatus... statuses) {
        Set<TrainingJobStatus> wanted = Set.of(statuses);
        return await().atMost(timeout).pollInterval(Duration.ofMillis(50))
                .until(() -> sm.describeTrainingJob(b -> b.trainingJobName(name)),
                        d -> wanted.contains(d.trainingJobStatus()));
    }

    static SageMakerException sageMakerError(Supplier<?> call) {
        return assertThrows(SageMakerException.class, call::get);
    }

    static HttpResponse<String> post(URI uri, String target, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-amz-json-1.1")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (target != null) b.header("X-Amz-Target", target);
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(URI uri) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
