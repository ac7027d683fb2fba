package io.sagebench.results;

import io.sagebench.testkit.SageMakerEmulatorResource;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.MetricDefinition;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;

import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/** Real training jobs in the emulator, created as the launcher creates them (job name bench-&lt;runId&gt;-a1). */
final class EmulatorJobs {

    private EmulatorJobs() {
    }

    /** Creates the job and waits until it has Completed; CreateTrainingJob's 1-per-second limit is waited out. */
    static DescribeTrainingJobResponse runToCompletion(String runId, String instanceType, int count, int datasetSize)
            throws InterruptedException {
        try (SageMakerClient sageMaker = SageMakerEmulatorResource.client()) {
            for (int attempt = 1; ; attempt++) {
                try {
                    sageMaker.createTrainingJob(b -> b.trainingJobName(TestEvents.jobName(runId))
                            .roleArn("arn:aws:iam::000000000000:role/SageMakerExecutionRole")
                            .algorithmSpecification(a -> a.trainingInputMode("File")
                                    .trainingImage("763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-training:"
                                            + "2.1.0-transformers4.36.0-gpu-py310-cu121-ubuntu20.04")
                                    .metricDefinitions(MetricDefinition.builder().name("eval_f1_score")
                                            .regex("'eval_f1_score': ([0-9]+(.|e\\-)[0-9]+),?").build()))
                            .hyperParameters(Map.of("model_name_or_path", "\"distilbert-base-uncased\"",
                                    "per_device_train_batch_size", "32", "max_steps", "20",
                                    "dataset_size", String.valueOf(datasetSize), "sagemaker_program", "\"train.py\""))
                            .resourceConfig(r -> r.instanceType(instanceType).instanceCount(count).volumeSizeInGB(30))
                            .stoppingCondition(s -> s.maxRuntimeInSeconds(86400))
                            .outputDataConfig(o -> o.s3OutputPath("s3://sagemaker-us-east-1-000000000000/")));
                    break;
                } catch (SageMakerException e) {
                    if (attempt >= 10 || !"ThrottlingException".equals(e.awsErrorDetails().errorCode())) {
                        throw e;
                    }
                    Thread.sleep(1100);
                }
            }
            return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> sageMaker.describeTrainingJob(b -> b.trainingJobName(TestEvents.jobName(runId))),
                            d -> d.trainingJobStatus() == TrainingJobStatus.COMPLETED);
        }
    }
}
