package io.sagebench.launcher.domain;

/**
 * Account-side settings for building requests: never taken from a design (a design cannot pick the role, bucket or
 * image).
 *
 * @param datasetUriTemplate S3 prefix of the train channel; {bucket}, {dataset} and {size} are replaced
 * @param imageAllowlist     the images SageMaker may be given; a run whose image falls outside fails, never launches
 * @param submitDirectory    the uploaded, content-addressed sourcedir.tar.gz ({@code s3://<code-bucket>/...}) when a
 *                           code bucket is configured; null keeps the estimator's per-job {@code <job>/source/} form
 */
public record LaunchSettings(
        String region,
        String roleArn,
        String bucket,
        String datasetUriTemplate,
        String trainingImage,
        String entryPoint,
        int containerLogLevel,
        ImageAllowlist imageAllowlist,
        String submitDirectory) {

    /** Settings without a code bucket and with the region's default allowlist. */
    public LaunchSettings(String region, String roleArn, String bucket, String datasetUriTemplate, String trainingImage,
                          String entryPoint, int containerLogLevel) {
        this(region, roleArn, bucket, datasetUriTemplate, trainingImage, entryPoint, containerLogLevel,
                ImageAllowlist.huggingFaceDlcs(region), null);
    }

    public LaunchSettings withSubmitDirectory(String uri) {
        return new LaunchSettings(region, roleArn, bucket, datasetUriTemplate, trainingImage, entryPoint,
                containerLogLevel, imageAllowlist, uri);
    }

    /** What sagemaker_submit_directory names for a job: the shared upload, or the estimator's per-job key. */
    public String submitDirectory(String jobName) {
        return submitDirectory != null ? submitDirectory : "s3://" + bucket + "/" + jobName + "/source/sourcedir.tar.gz";
    }

    public String datasetUri(String dataset, long size) {
        return datasetUriTemplate.replace("{bucket}", bucket).replace("{dataset}", dataset)
                .replace("{size}", Long.toString(size));
    }
}
