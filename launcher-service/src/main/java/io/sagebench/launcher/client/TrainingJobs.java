package io.sagebench.launcher.client;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.sagebench.contracts.ids.JobTags;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.CreateTrainingJobRequest;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;

/** The three SageMaker calls the launcher makes. Exceptions are the SDK's own; the caller classifies them. */
@ApplicationScoped
public class TrainingJobs {
    private static final Logger LOG = Logger.getLogger(TrainingJobs.class);

    @Inject
    SageMakerClient sageMaker;

    public String create(CreateTrainingJobRequest request) {
        return sageMaker.createTrainingJob(request).trainingJobArn();
    }

    /**
     * After ResourceInUse on our deterministic name: the job exists, so an earlier call got through. Confirm it is this
     * run's job through its sagebench:run-id tag, so a foreign job that happens to hold the name is never adopted.
     *
     * @return the job's ARN
     * @throws IllegalStateException if the job belongs to another run
     */
    public String confirmOwnJob(String jobName, String runId) {
        DescribeTrainingJobResponse job = sageMaker.describeTrainingJob(b -> b.trainingJobName(jobName));
        String taggedRun;
        try {
            taggedRun = sageMaker.listTags(b -> b.resourceArn(job.trainingJobArn())).tags().stream()
                    .filter(t -> JobTags.RUN_ID.equals(t.key()))
                    .map(t -> t.value()).findFirst().orElse(null);
        } catch (AwsServiceException e) {
            // An endpoint without ListTags: the name itself is derived from the run id, so it is ours by construction.
            LOG.debugf("ListTags unavailable for %s (%s); trusting the deterministic name", jobName, e.getMessage());
            taggedRun = runId;
        }
        if (!runId.equals(taggedRun)) {
            throw new IllegalStateException("training job " + jobName + " exists but is tagged for run " + taggedRun);
        }
        return job.trainingJobArn();
    }

    public void stop(String jobName) {
        sageMaker.stopTrainingJob(b -> b.trainingJobName(jobName));
    }
}
