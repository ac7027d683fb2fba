package io.sagebench.results;

import io.sagebench.testkit.EventContract;
import io.sagebench.testkit.TestTopics;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/** Builds the events other services publish (each checked against the contracts schemas) and produces them. */
public final class TestEvents {

    private TestEvents() {
    }

    public static String runId(String designId, int sequence) {
        return String.format("%s-r%03d", designId, sequence);
    }

    public static String jobName(String runId) {
        return "bench-" + runId + "-a1";
    }

    public static String runPlanned(String designId, int sequence, String instanceType, int count, int gpusPerInstance,
                                    int datasetSize, String cellId) {
        int totalGpus = count * gpusPerInstance;
        String json = """
                {"runId":"%s","designId":"%s","cellId":"%s","sequence":%d,"replicate":1,
                 "model":{"hubId":"distilbert-base-uncased","parameters":66955010,"sequenceLength":512},
                 "dataset":{"hubId":"amazon_polarity","size":%d,"trainFraction":0.9,"splitSeed":42},
                 "cluster":{"instanceType":"%s","instanceCount":%d,"gpusPerInstance":%d,"totalGpus":%d,"distribution":"%s"},
                 "perDeviceBatchSize":32,"globalBatchSize":%d,"learningRate":5e-5,"steps":20,"epochs":1.0,
                 "samplesSeen":%d,"volumeSizeGb":30,"maxRuntimeSeconds":86400,"spot":false,"region":"us-east-1",
                 "quote":{"seconds":600,"usd":1.0,"hourlyPriceUsd":3.825,"priceBookVersion":"2021-study"}}"""
                .formatted(runId(designId, sequence), designId, cellId, sequence, datasetSize, instanceType, count,
                        gpusPerInstance, totalGpus, count > 1 ? "smdistributed" : "none", 32 * totalGpus,
                        20L * 32 * totalGpus);
        EventContract.assertValid("RunPlanned", json);
        return json;
    }

    public static String designAccepted(String designId, List<String> runIds) {
        String json = """
                {"designId":"%s","name":"it","runCount":%d,"randomSeed":7,
                 "quote":{"totalUsd":10.0,"totalSeconds":3600,"budgetUsd":100,"priceBookVersion":"2021-study"},
                 "runIds":[%s],"acceptedAt":"%s"}"""
                .formatted(designId, runIds.size(), runIds.stream().map(r -> "\"" + r + "\"").collect(Collectors.joining(",")),
                        Instant.now());
        EventContract.assertValid("DesignAccepted", json);
        return json;
    }

    public static String runLaunched(String designId, String runId, String instanceType, int count) {
        String json = """
                {"runId":"%s","designId":"%s","cellId":"0123456789ab","attempt":1,"trainingJobName":"%s",
                 "trainingJobArn":"arn:aws:sagemaker:us-east-1:000000000000:training-job/%s","instanceType":"%s",
                 "instanceCount":%d,"launchedAt":"%s"}"""
                .formatted(runId, designId, jobName(runId), jobName(runId), instanceType, count, Instant.now());
        EventContract.assertValid("RunLaunched", json);
        return json;
    }

    public static String jobState(String designId, String runId, String status, String secondaryStatus) {
        String json = """
                {"trainingJobName":"%s","trainingJobArn":"arn:aws:sagemaker:us-east-1:000000000000:training-job/%s",
                 "runId":"%s","designId":"%s","attempt":1,"status":"%s","secondaryStatus":"%s",
                 "lastModifiedTime":"%s","terminal":%s,"source":"event"}"""
                .formatted(jobName(runId), jobName(runId), runId, designId, status, secondaryStatus, Instant.now(),
                        List.of("Completed", "Failed", "Stopped").contains(status));
        EventContract.assertValid("TrainingJobStateChanged", json);
        return json;
    }

    public static String produce(String topic, String key, String eventType, String json) {
        return TestTopics.produceEvent(topic, key, eventType, json);
    }
}
