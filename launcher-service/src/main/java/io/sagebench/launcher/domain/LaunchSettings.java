package io.sagebench.launcher.domain;

/**
 * Account-side settings for building requests: never taken from a design (a design cannot pick the role or bucket).
 *
 * @param datasetUriTemplate S3 prefix of the train channel; {bucket}, {dataset} and {size} are replaced
 */
public record LaunchSettings(
        String region,
        String roleArn,
        String bucket,
        String datasetUriTemplate,
        String trainingImage,
        String entryPoint,
        int containerLogLevel) {

    public String datasetUri(String dataset, long size) {
        return datasetUriTemplate.replace("{bucket}", bucket).replace("{dataset}", dataset)
                .replace("{size}", Long.toString(size));
    }
}
