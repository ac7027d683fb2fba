package io.sagebench.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.ListTrainingJobsResponse;
import software.amazon.awssdk.services.sagemaker.model.MetricData;
import software.amazon.awssdk.services.sagemaker.model.ResourceInUseException;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemaker.model.SecondaryStatusTransition;
import software.amazon.awssdk.services.sagemaker.model.SortBy;
import software.amazon.awssdk.services.sagemaker.model.SortOrder;
import software.amazon.awssdk.services.sagemaker.model.Tag;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobSummary;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.sagebench.emulator.TestJobs.awaitStatus;
import static io.sagebench.emulator.TestJobs.sageMakerError;
import static io.sagebench.emulator.TestJobs.smallJob;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every operation and error, driven through the real SageMakerClient. */
class TrainingJobApiTest {

    private static SageMakerEmulator emulator;
    private static SageMakerClient sm;

    @BeforeAll
    static void start() throws Exception {
        emulator = SageMakerEmulator.start(TestJobs.fastConfig().build());
        sm = TestJobs.client(emulator);
    }

    @AfterAll
    static void stop() {
        sm.close();
        emulator.close();
    }

    @Test
    void aJobWalksTheLifecycleToCompletedWithBillableTimeAndF1() {
        sm.createTrainingJob(smallJob("lifecycle-1").build());

        DescribeTrainingJobResponse d = awaitStatus(sm, "lifecycle-1", Duration.ofSeconds(20), TrainingJobStatus.COMPLETED);
        assertEquals("Completed", d.secondaryStatusAsString());
        assertEquals("arn:aws:sagemaker:us-east-1:000000000000:training-job/lifecycle-1", d.trainingJobArn());
        List<String> phases = d.secondaryStatusTransitions().stream().map(SecondaryStatusTransition::statusAsString).toList();
        assertEquals(List.of("Starting", "Downloading", "Training", "Uploading", "Completed"), phases);
        List<SecondaryStatusTransition> t = d.secondaryStatusTransitions();
        for (int i = 0; i + 1 < t.size(); i++) {
            assertEquals(t.get(i).endTime(), t.get(i + 1).startTime(), "transitions are contiguous");
            assertNotNull(t.get(i).statusMessage());
        }
        assertEquals(t.get(1).startTime(), d.trainingStartTime(), "TrainingStartTime = end of Starting");
        assertEquals(d.trainingEndTime(), t.get(4).startTime());
        long wallSeconds = Duration.between(d.trainingStartTime(), d.trainingEndTime()).getSeconds();
        assertEquals(wallSeconds, d.trainingTimeInSeconds().longValue());
        assertEquals(wallSeconds, d.billableTimeInSeconds().longValue(), "on demand: billable = end - start");
        // 1,000 steps at 0.78 s on one V100 (±2% noise), plus download and upload.
        long trainingPhase = Duration.between(t.get(2).startTime(), t.get(3).startTime()).getSeconds();
        assertEquals(780, trainingPhase, 20);
        assertTrue(d.creationTime().isBefore(d.trainingStartTime()));
        assertEquals(d.trainingEndTime(), d.lastModifiedTime());

        double f1 = metric(d, "eval_f1_score");
        assertTrue(f1 > 0.85 && f1 < 0.99, "F1 " + f1);
        assertEquals(trainingPhase, metric(d, "train_runtime"), 1.0);
        assertTrue(metric(d, "eval_loss") > 0);
        assertEquals("s3://sagemaker-us-east-1-000000000000/lifecycle-1/output/model.tar.gz",
                d.modelArtifacts().s3ModelArtifacts());
        assertEquals("ml.p3.2xlarge", d.resourceConfig().instanceTypeAsString());
        assertEquals("1000", d.hyperParameters().get("max_steps"));
        assertEquals(3, d.algorithmSpecification().metricDefinitions().size());
        assertEquals(86400, d.stoppingCondition().maxRuntimeInSeconds());
        assertFalse(d.enableManagedSpotTraining());
        assertNull(d.failureReason());
        assertEquals("train", d.inputDataConfig().get(0).channelName());
        assertTrue(emulator.createdJobNames().contains("lifecycle-1"));
    }

    private static double metric(DescribeTrainingJobResponse d, String name) {
        return d.finalMetricDataList().stream().filter(m -> m.metricName().equals(name)).map(MetricData::value)
                .findFirst().orElseThrow(() -> new AssertionError("no metric " + name + " in " + d.finalMetricDataList()));
    }

    @Test
    void aDuplicateNameIsResourceInUseWithTheRealMessage() {
        sm.createTrainingJob(smallJob("dup-1").build());
        ResourceInUseException e = assertThrows(ResourceInUseException.class,
                () -> sm.createTrainingJob(smallJob("dup-1").build()));
        assertEquals("ResourceInUse", e.awsErrorDetails().errorCode());
        assertEquals(400, e.statusCode());
        assertEquals("Training job names must be unique within an AWS account and region, and a training job with this "
                + "name already exists (arn:aws:sagemaker:us-east-1:000000000000:training-job/dup-1)",
                e.awsErrorDetails().errorMessage());
        assertEquals(1, emulator.createdJobNames().stream().filter("dup-1"::equals).count());
    }

    @Test
    void aMissingJobIsValidationExceptionRequestedResourceNotFound() {
        SageMakerException e = sageMakerError(() -> sm.describeTrainingJob(b -> b.trainingJobName("no-such-job")));
        assertEquals("ValidationException", e.awsErrorDetails().errorCode());
        assertEquals("Requested resource not found.", e.awsErrorDetails().errorMessage());
        assertNotNull(e.requestId());
        SageMakerException stop = sageMakerError(() -> sm.stopTrainingJob(b -> b.trainingJobName("no-such-job")));
        assertEquals("ValidationException", stop.awsErrorDetails().errorCode());
    }

    @Test
    void anInvalidNameIsAValidationErrorAndCreatesNothing() {
        SageMakerException e = sageMakerError(() -> sm.createTrainingJob(smallJob("bad_name!").build()));
        assertEquals("ValidationException", e.awsErrorDetails().errorCode());
        assertEquals("1 validation error detected: Value 'bad_name!' at 'trainingJobName' failed to satisfy constraint: "
                + "Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}",
                e.awsErrorDetails().errorMessage());
        sageMakerError(() -> sm.createTrainingJob(smallJob("a".repeat(64)).build()));
        sageMakerError(() -> sm.createTrainingJob(smallJob("-leading-dash").build()));
        assertFalse(emulator.createdJobNames().contains("bad_name!"));
    }

    @Test
    void everyConstraintViolationIsReportedAtOnce() {
        SageMakerException e = sageMakerError(() -> sm.createTrainingJob(smallJob("Bad Name").roleArn(null)
                .resourceConfig(r -> r.instanceType("ml.p9.mega").instanceCount(0).volumeSizeInGB(30)).build()));
        String msg = e.awsErrorDetails().errorMessage();
        assertTrue(msg.startsWith("4 validation errors detected: "), msg);
        assertTrue(msg.contains("'trainingJobName'") && msg.contains("Value null at 'roleArn'")
                && msg.contains("'resourceConfig.instanceType'") && msg.contains("'resourceConfig.instanceCount'"), msg);
    }

    @Test
    void maxWaitWithoutSpotIsRejected() {
        SageMakerException e = sageMakerError(() -> sm.createTrainingJob(smallJob("maxwait-no-spot")
                .stoppingCondition(s -> s.maxRuntimeInSeconds(3600).maxWaitTimeInSeconds(7200)).build()));
        assertEquals("ValidationException", e.awsErrorDetails().errorCode());
        assertEquals("Invalid MaxWaitTimeInSeconds. It is only supported when EnableManagedSpotTraining is set to true",
                e.awsErrorDetails().errorMessage());
        SageMakerException shorter = sageMakerError(() -> sm.createTrainingJob(smallJob("maxwait-short")
                .enableManagedSpotTraining(true)
                .stoppingCondition(s -> s.maxRuntimeInSeconds(3600).maxWaitTimeInSeconds(1800)).build()));
        assertTrue(shorter.awsErrorDetails().errorMessage().contains("greater than or equal to MaxRuntimeInSeconds"));
    }

    @Test
    void hyperparameterAndMetricDefinitionLimitsAreEnforced() {
        java.util.Map<String, String> tooMany = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 101; i++) tooMany.put("hp" + i, "1");
        SageMakerException e = sageMakerError(() -> sm.createTrainingJob(
                smallJob("too-many-hp").hyperParameters(tooMany).build()));
        assertTrue(e.awsErrorDetails().errorMessage().contains("'hyperParameters'"));
        SageMakerException longValue = sageMakerError(() -> sm.createTrainingJob(
                smallJob("long-hp").hyperParameters(java.util.Map.of("x", "v".repeat(2501))).build()));
        assertTrue(longValue.awsErrorDetails().errorMessage().contains("2500"));
        List<software.amazon.awssdk.services.sagemaker.model.MetricDefinition> defs = new ArrayList<>();
        for (int i = 0; i < 41; i++) {
            defs.add(software.amazon.awssdk.services.sagemaker.model.MetricDefinition.builder()
                    .name("m" + i).regex("m" + i + "=([0-9.]+)").build());
        }
        SageMakerException metrics = sageMakerError(() -> sm.createTrainingJob(smallJob("too-many-metrics")
                .algorithmSpecification(a -> a.trainingImage(TestJobs.IMAGE).trainingInputMode("File")
                        .metricDefinitions(defs)).build()));
        assertTrue(metrics.awsErrorDetails().errorMessage().contains("metricDefinitions"));
    }

    /** Facts file §1: the body the Python SDK's HuggingFace estimator sends must be accepted as is. */
    @Test
    void theFactsFileGoldenCreateTrainingJobBodyIsAccepted() throws Exception {
        String body = goldenBody();
        HttpResponse<String> r = TestJobs.post(emulator.endpoint(), "SageMaker.CreateTrainingJob", body);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("application/x-amz-json-1.1", r.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(r.headers().firstValue("x-amzn-RequestId").isPresent());
        JsonNode arn = new ObjectMapper().readTree(r.body()).get("TrainingJobArn");
        assertEquals("arn:aws:sagemaker:us-east-1:000000000000:training-job/"
                + "huggingface-pytorch-training-2025-01-15-10-00-00-123", arn.asText());
        DescribeTrainingJobResponse d = sm.describeTrainingJob(
                b -> b.trainingJobName("huggingface-pytorch-training-2025-01-15-10-00-00-123"));
        assertTrue(d.enableManagedSpotTraining());
        assertEquals(172800, d.stoppingCondition().maxWaitTimeInSeconds());
        assertEquals("s3://my-bucket/checkpoints/run-1", d.checkpointConfig().s3Uri());
        assertEquals("\"bert-large-uncased\"", d.hyperParameters().get("model_name_or_path"));
    }

    /** The example wire body, read from the facts file when the repository is there, else the copy below. */
    private static String goldenBody() throws Exception {
        String root = System.getProperty("sagebench.root", "");
        Path facts = Path.of(root.isEmpty() ? "." : root).resolve("../shared/facts/sagemaker.md").normalize();
        if (Files.exists(facts)) {
            Matcher m = Pattern.compile("Example wire body[^\\n]*\\n```json\\n(.*?)\\n```", Pattern.DOTALL)
                    .matcher(Files.readString(facts));
            if (m.find()) return m.group(1);
        }
        return GOLDEN_COPY;
    }

    private static final String GOLDEN_COPY = """
            {"TrainingJobName":"huggingface-pytorch-training-2025-01-15-10-00-00-123",
             "AlgorithmSpecification":{"TrainingInputMode":"File",
              "TrainingImage":"763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-training:2.1.0-transformers4.36.0-gpu-py310-cu121-ubuntu20.04",
              "MetricDefinitions":[{"Name":"loss","Regex":"'loss': ([0-9]+(.|e\\\\-)[0-9]+),?"},
                                   {"Name":"eval_loss","Regex":"'eval_loss': ([0-9]+(.|e\\\\-)[0-9]+),?"},
                                   {"Name":"train_runtime","Regex":"'train_runtime': ([0-9]+(.|e\\\\-)[0-9]+),?"}],
              "EnableSageMakerMetricsTimeSeries":true},
             "RoleArn":"arn:aws:iam::123456789012:role/SageMakerExecutionRole",
             "InputDataConfig":[{"ChannelName":"train","DataSource":{"S3DataSource":{"S3DataType":"S3Prefix",
               "S3Uri":"s3://my-bucket/data/train","S3DataDistributionType":"FullyReplicated"}}}],
             "OutputDataConfig":{"S3OutputPath":"s3://sagemaker-us-east-1-123456789012/"},
             "ResourceConfig":{"VolumeSizeInGB":30,"InstanceCount":2,"InstanceType":"ml.p4d.24xlarge"},
             "StoppingCondition":{"MaxRuntimeInSeconds":86400,"MaxWaitTimeInSeconds":172800},
             "HyperParameters":{"epochs":"3","model_name_or_path":"\\"bert-large-uncased\\"",
              "sagemaker_distributed_dataparallel_enabled":"true","sagemaker_instance_type":"\\"ml.p4d.24xlarge\\"",
              "sagemaker_distributed_dataparallel_custom_mpi_options":"\\"\\"",
              "sagemaker_submit_directory":"\\"s3://sagemaker-us-east-1-123456789012/huggingface-pytorch-training-2025-01-15-10-00-00-123/source/sourcedir.tar.gz\\"",
              "sagemaker_program":"\\"train.py\\"","sagemaker_container_log_level":"20",
              "sagemaker_job_name":"\\"huggingface-pytorch-training-2025-01-15-10-00-00-123\\"","sagemaker_region":"\\"us-east-1\\""},
             "Tags":[{"Key":"project","Value":"bench"}],
             "EnableManagedSpotTraining":true,
             "CheckpointConfig":{"S3Uri":"s3://my-bucket/checkpoints/run-1","LocalPath":"/opt/ml/checkpoints"}}
            """;

    @Test
    void unknownOperationsAndMalformedBodiesGetAwsErrors() throws Exception {
        HttpResponse<String> unknown = TestJobs.post(emulator.endpoint(), "SageMaker.CreateEndpoint", "{}");
        assertEquals(400, unknown.statusCode());
        assertEquals("UnknownOperationException", unknown.headers().firstValue("X-Amzn-ErrorType").orElseThrow());
        assertEquals("UnknownOperationException", new ObjectMapper().readTree(unknown.body()).get("__type").asText());
        HttpResponse<String> noTarget = TestJobs.post(emulator.endpoint(), null, "{}");
        assertEquals(400, noTarget.statusCode());
        assertEquals("UnknownOperationException", noTarget.headers().firstValue("X-Amzn-ErrorType").orElseThrow());
        HttpResponse<String> broken = TestJobs.post(emulator.endpoint(), "SageMaker.DescribeTrainingJob", "{nope");
        assertEquals(400, broken.statusCode());
        assertEquals("SerializationException", broken.headers().firstValue("X-Amzn-ErrorType").orElseThrow());
    }

    @Test
    void listTrainingJobsFiltersSortsAndPaginates() {
        for (int i = 1; i <= 5; i++) sm.createTrainingJob(smallJob("list-" + i).build());
        // Long enough (about 9 simulated days) to still be running when listed.
        sm.createTrainingJob(TestJobs.request("other-1", "ml.p3.2xlarge", 1, TestJobs.hyperParameters(
                "distilbert-base-uncased", 1_000_000, 32, 100_000, false, "5e-05")).build());
        List<String> names = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String t = token;
            ListTrainingJobsResponse page = sm.listTrainingJobs(b -> b.nameContains("list-").maxResults(2).nextToken(t));
            page.trainingJobSummaries().forEach(s -> names.add(s.trainingJobName()));
            token = page.nextToken();
            pages++;
        } while (token != null);
        assertEquals(3, pages);
        assertEquals(List.of("list-1", "list-2", "list-3", "list-4", "list-5"), names, "creation time, ascending");

        List<String> byNameDesc = sm.listTrainingJobs(b -> b.nameContains("list-").sortBy(SortBy.NAME)
                .sortOrder(SortOrder.DESCENDING).maxResults(100)).trainingJobSummaries().stream()
                .map(TrainingJobSummary::trainingJobName).toList();
        assertEquals(List.of("list-5", "list-4", "list-3", "list-2", "list-1"), byNameDesc);

        TrainingJobSummary s = sm.listTrainingJobs(b -> b.nameContains("other-1")).trainingJobSummaries().get(0);
        assertEquals(TrainingJobStatus.IN_PROGRESS, s.trainingJobStatus());
        assertNotNull(s.creationTime());
        assertNotNull(s.lastModifiedTime());

        awaitStatus(sm, "list-5", Duration.ofSeconds(20), TrainingJobStatus.COMPLETED);
        Set<String> completed = sm.listTrainingJobsPaginator(b -> b.statusEquals(TrainingJobStatus.COMPLETED))
                .trainingJobSummaries().stream().map(TrainingJobSummary::trainingJobName).collect(Collectors.toSet());
        assertTrue(completed.containsAll(List.of("list-1", "list-5")));

        var createdAfter = sm.describeTrainingJob(b -> b.trainingJobName("list-3")).creationTime();
        Set<String> later = new HashSet<>();
        sm.listTrainingJobs(b -> b.creationTimeAfter(createdAfter).nameContains("list-").maxResults(100))
                .trainingJobSummaries().forEach(x -> later.add(x.trainingJobName()));
        assertEquals(Set.of("list-4", "list-5"), later);

        SageMakerException bad = sageMakerError(() -> sm.listTrainingJobs(b -> b.maxResults(0)));
        assertEquals("ValidationException", bad.awsErrorDetails().errorCode());
        assertTrue(bad.awsErrorDetails().errorMessage().contains("'maxResults'"));
    }

    @Test
    void tagsCanBeListedAndAdded() {
        String arn = sm.createTrainingJob(smallJob("tagged-1").build()).trainingJobArn();
        assertEquals(List.of(Tag.builder().key("sagebench:run-id").value("tagged-1").build()),
                sm.listTags(b -> b.resourceArn(arn)).tags());
        sm.addTags(b -> b.resourceArn(arn).tags(Tag.builder().key("owner").value("bench").build(),
                Tag.builder().key("sagebench:run-id").value("renamed").build()));
        List<Tag> tags = sm.listTags(b -> b.resourceArn(arn)).tags();
        assertEquals(2, tags.size());
        assertTrue(tags.contains(Tag.builder().key("sagebench:run-id").value("renamed").build()));
        assertTrue(tags.contains(Tag.builder().key("owner").value("bench").build()));
        SageMakerException e = sageMakerError(() -> sm.listTags(b -> b.resourceArn(
                "arn:aws:sagemaker:us-east-1:000000000000:training-job/nope")));
        assertEquals("ValidationException", e.awsErrorDetails().errorCode());
    }

    @Test
    void adminHealthAnswers() throws Exception {
        HttpResponse<String> r = TestJobs.get(URI.create(emulator.endpoint() + "/_emulator/health"));
        assertEquals(200, r.statusCode());
        assertEquals("UP", new ObjectMapper().readTree(r.body()).get("status").asText());
    }
}
