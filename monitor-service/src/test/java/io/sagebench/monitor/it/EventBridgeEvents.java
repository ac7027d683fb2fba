package io.sagebench.monitor.it;

import java.util.UUID;

/** EventBridge "SageMaker Training Job State Change" bodies, as the rule delivers them to SQS. */
final class EventBridgeEvents {

    private EventBridgeEvents() {
    }

    /** A fresh job name of ours: bench-<designId>-r001-a1. */
    static String newJobName() {
        return "bench-it" + UUID.randomUUID().toString().replace("-", "").substring(0, 10) + "-r001-a1";
    }

    static String stateChange(String eventId, String jobName, String status, String secondary, long lastModifiedMillis,
                              boolean timesAsStrings, String tagsJson) {
        String time = timesAsStrings ? "\"" + lastModifiedMillis + "\"" : Long.toString(lastModifiedMillis);
        return """
                {"version":"0","id":"%s","detail-type":"SageMaker Training Job State Change","source":"aws.sagemaker",
                 "account":"000000000000","time":"2026-01-01T00:00:00Z","region":"us-east-1",
                 "resources":["arn:aws:sagemaker:us-east-1:000000000000:training-job/%s"],
                 "detail":{"TrainingJobName":"%s",
                  "TrainingJobArn":"arn:aws:sagemaker:us-east-1:000000000000:training-job/%s",
                  "TrainingJobStatus":"%s","SecondaryStatus":"%s",
                  "ResourceConfig":{"InstanceType":"ml.p3.2xlarge","InstanceCount":1,"VolumeSizeInGB":30},
                  "CreationTime":%s,"LastModifiedTime":%s,"SecondaryStatusTransitions":[],"Tags":%s,
                  "SomethingNew":{"nested":[1,2,3]}}}
                """.formatted(eventId, jobName, jobName, jobName, status, secondary, time, time, tagsJson);
    }

    static String stateChange(String jobName, String status, String secondary, long lastModifiedMillis) {
        return stateChange(UUID.randomUUID().toString(), jobName, status, secondary, lastModifiedMillis, false, "[]");
    }
}
