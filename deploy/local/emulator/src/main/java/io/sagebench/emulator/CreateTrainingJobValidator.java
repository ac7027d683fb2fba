package io.sagebench.emulator;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The CreateTrainingJob request constraints of the SageMaker API model (botocore service-2.json) and its documented
 * business rules. Every problem is collected, then answered at once in AWS's "N validation errors detected" form.
 */
final class CreateTrainingJobValidator {

    static final String NAME_PATTERN_TEXT = "^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}";
    private static final Pattern NAME_PATTERN = Pattern.compile("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$");
    private static final Pattern ROLE_ARN_PATTERN =
            Pattern.compile("^arn:aws[a-z\\-]*:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+$");
    private static final Pattern CHANNEL_NAME_PATTERN = Pattern.compile("[A-Za-z0-9.\\-_]+");
    private static final Pattern S3_URI_PATTERN = Pattern.compile("^(https|s3)://([^/]+)/?(.*)$");
    private static final List<String> INPUT_MODES = List.of("Pipe", "File", "FastFile");
    static final int MAX_HYPERPARAMETERS = 100;
    static final int MAX_HYPERPARAMETER_KEY = 256;
    static final int MAX_HYPERPARAMETER_VALUE = 2500;
    static final int MAX_METRIC_DEFINITIONS = 40;
    static final int MAX_TAGS = 50;
    static final long MAX_RUNTIME_LIMIT_SECONDS = 28L * 24 * 3600;
    static final int MAX_INSTANCES_PER_JOB = 20;

    private CreateTrainingJobValidator() {
    }

    static void validate(JsonNode r) {
        List<String> p = new ArrayList<>();
        String name = text(r, "TrainingJobName");
        if (name == null) {
            p.add(isNull("trainingJobName"));
        } else if (!NAME_PATTERN.matcher(name).matches()) {
            p.add(value(name, "trainingJobName") + "Member must satisfy regular expression pattern: " + NAME_PATTERN_TEXT);
        }
        String role = text(r, "RoleArn");
        if (role == null) {
            p.add(isNull("roleArn"));
        } else if (role.length() < 20 || role.length() > 2048 || !ROLE_ARN_PATTERN.matcher(role).matches()) {
            p.add(value(role, "roleArn") + "Member must satisfy regular expression pattern: "
                    + "^arn:aws[a-z\\-]*:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+$");
        }

        JsonNode output = r.get("OutputDataConfig");
        if (output == null || output.isNull()) {
            p.add(isNull("outputDataConfig"));
        } else {
            String path = text(output, "S3OutputPath");
            if (path == null) p.add(isNull("outputDataConfig.s3OutputPath"));
            else if (!S3_URI_PATTERN.matcher(path).matches()) {
                p.add(value(path, "outputDataConfig.s3OutputPath")
                        + "Member must satisfy regular expression pattern: ^(https|s3)://([^/]+)/?(.*)$");
            }
        }

        JsonNode algorithm = r.get("AlgorithmSpecification");
        if (algorithm == null || algorithm.isNull()) {
            p.add(isNull("algorithmSpecification"));
        } else {
            String mode = text(algorithm, "TrainingInputMode");
            if (mode == null) p.add(isNull("algorithmSpecification.trainingInputMode"));
            else if (!INPUT_MODES.contains(mode)) {
                p.add(value(mode, "algorithmSpecification.trainingInputMode")
                        + "Member must satisfy enum value set: " + INPUT_MODES);
            }
            JsonNode metrics = algorithm.get("MetricDefinitions");
            if (metrics != null && metrics.isArray()) {
                if (metrics.size() > MAX_METRIC_DEFINITIONS) {
                    p.add("Value '" + metrics.size() + " items' at 'algorithmSpecification.metricDefinitions' failed to "
                            + "satisfy constraint: Member must have length less than or equal to " + MAX_METRIC_DEFINITIONS);
                }
                int i = 1;
                for (JsonNode m : metrics) {
                    String mn = text(m, "Name");
                    String mr = text(m, "Regex");
                    String at = "algorithmSpecification.metricDefinitions." + i + ".member.";
                    if (mn == null) p.add(isNull(at + "name"));
                    else if (mn.isEmpty() || mn.length() > 255) {
                        p.add(value(mn, at + "name") + "Member must have length between 1 and 255");
                    }
                    if (mr == null) p.add(isNull(at + "regex"));
                    else if (mr.isEmpty() || mr.length() > 500) {
                        p.add(value(mr, at + "regex") + "Member must have length between 1 and 500");
                    }
                    i++;
                }
            }
        }

        JsonNode resources = r.get("ResourceConfig");
        if (resources == null || resources.isNull()) {
            p.add(isNull("resourceConfig"));
        } else {
            String type = text(resources, "InstanceType");
            if (type == null) p.add(isNull("resourceConfig.instanceType"));
            else if (InstanceCatalog.find(type) == null) {
                p.add(value(type, "resourceConfig.instanceType") + "Member must satisfy enum value set: "
                        + InstanceCatalog.names());
            }
            JsonNode count = resources.get("InstanceCount");
            if (count == null || count.isNull()) p.add(isNull("resourceConfig.instanceCount"));
            else if (!count.canConvertToInt() || count.asInt() < 1) {
                p.add(value(count.asText(), "resourceConfig.instanceCount")
                        + "Member must have value greater than or equal to 1");
            }
            JsonNode volume = resources.get("VolumeSizeInGB");
            if (volume == null || volume.isNull()) p.add(isNull("resourceConfig.volumeSizeInGB"));
            else if (!volume.canConvertToInt() || volume.asInt() < 1) {
                p.add(value(volume.asText(), "resourceConfig.volumeSizeInGB")
                        + "Member must have value greater than or equal to 1");
            }
        }

        JsonNode stopping = r.get("StoppingCondition");
        if (stopping == null || stopping.isNull()) {
            p.add(isNull("stoppingCondition"));
        } else {
            JsonNode maxRuntime = stopping.get("MaxRuntimeInSeconds");
            if (maxRuntime != null && !maxRuntime.isNull() && (maxRuntime.asLong() < 1)) {
                p.add(value(maxRuntime.asText(), "stoppingCondition.maxRuntimeInSeconds")
                        + "Member must have value greater than or equal to 1");
            }
            JsonNode maxWait = stopping.get("MaxWaitTimeInSeconds");
            if (maxWait != null && !maxWait.isNull() && maxWait.asLong() < 1) {
                p.add(value(maxWait.asText(), "stoppingCondition.maxWaitTimeInSeconds")
                        + "Member must have value greater than or equal to 1");
            }
        }

        JsonNode hyper = r.get("HyperParameters");
        if (hyper != null && hyper.isObject()) {
            if (hyper.size() > MAX_HYPERPARAMETERS) {
                p.add("Value '" + hyper.size() + " entries' at 'hyperParameters' failed to satisfy constraint: "
                        + "Member must have length less than or equal to " + MAX_HYPERPARAMETERS);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = hyper.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().length() > MAX_HYPERPARAMETER_KEY) {
                    p.add(value(e.getKey(), "hyperParameters") + "Map keys must satisfy constraint: "
                            + "[Member must have length less than or equal to " + MAX_HYPERPARAMETER_KEY + "]");
                }
                if (!e.getValue().isTextual()) {
                    p.add("Value at 'hyperParameters." + e.getKey() + "' failed to satisfy constraint: Member must be a string");
                } else if (e.getValue().textValue().length() > MAX_HYPERPARAMETER_VALUE) {
                    p.add("Value at 'hyperParameters." + e.getKey() + "' failed to satisfy constraint: "
                            + "Map value must satisfy constraint: [Member must have length less than or equal to "
                            + MAX_HYPERPARAMETER_VALUE + "]");
                }
            }
        }

        JsonNode channels = r.get("InputDataConfig");
        if (channels != null && channels.isArray()) {
            if (channels.isEmpty() || channels.size() > 20) {
                p.add("Value '" + channels.size() + " items' at 'inputDataConfig' failed to satisfy constraint: "
                        + "Member must have length between 1 and 20");
            }
            int i = 1;
            for (JsonNode c : channels) {
                String cn = text(c, "ChannelName");
                String at = "inputDataConfig." + i + ".member.channelName";
                if (cn == null) p.add(isNull(at));
                else if (cn.length() > 64 || !CHANNEL_NAME_PATTERN.matcher(cn).matches()) {
                    p.add(value(cn, at) + "Member must satisfy regular expression pattern: [A-Za-z0-9\\.\\-_]+");
                }
                i++;
            }
        }

        JsonNode tags = r.get("Tags");
        if (tags != null && tags.isArray()) {
            p.addAll(tagProblems(tags, "tags"));
        }

        if (!p.isEmpty()) throw AwsError.validation(p);
        businessRules(r);
    }

    static List<String> tagProblems(JsonNode tags, String at) {
        List<String> p = new ArrayList<>();
        if (tags.size() > MAX_TAGS) {
            p.add("Value '" + tags.size() + " items' at '" + at + "' failed to satisfy constraint: "
                    + "Member must have length less than or equal to " + MAX_TAGS);
        }
        int i = 1;
        for (JsonNode t : tags) {
            String k = text(t, "Key");
            String v = text(t, "Value");
            if (k == null) p.add(isNull(at + "." + i + ".member.key"));
            else if (k.isEmpty() || k.length() > 128) p.add(value(k, at + "." + i + ".member.key")
                    + "Member must have length between 1 and 128");
            if (v == null) p.add(isNull(at + "." + i + ".member.value"));
            else if (v.length() > 256) p.add(value(v, at + "." + i + ".member.value")
                    + "Member must have length less than or equal to 256");
            i++;
        }
        return p;
    }

    /** Rules SageMaker checks after the shape constraints; answered one at a time like the service does. */
    private static void businessRules(JsonNode r) {
        JsonNode algorithm = r.get("AlgorithmSpecification");
        if (text(algorithm, "TrainingImage") == null && text(algorithm, "AlgorithmName") == null) {
            throw AwsError.validation("Either TrainingImage or AlgorithmName must be specified in AlgorithmSpecification.");
        }
        boolean spot = r.path("EnableManagedSpotTraining").asBoolean(false);
        JsonNode stopping = r.get("StoppingCondition");
        long maxRuntime = stopping.path("MaxRuntimeInSeconds").asLong(86400);
        JsonNode maxWait = stopping.get("MaxWaitTimeInSeconds");
        boolean hasMaxWait = maxWait != null && !maxWait.isNull();
        if (hasMaxWait && !spot) {
            // Verbatim from SageMaker (Kenza-AI/sagify#111, aws/sagemaker-python-sdk#4140).
            throw AwsError.validation(
                    "Invalid MaxWaitTimeInSeconds. It is only supported when EnableManagedSpotTraining is set to true");
        }
        if (spot && !hasMaxWait) {
            throw AwsError.validation("Invalid MaxWaitTimeInSeconds. It is required when EnableManagedSpotTraining is set to true");
        }
        if (hasMaxWait && maxWait.asLong() < maxRuntime) {
            throw AwsError.validation("Invalid MaxWaitTimeInSeconds. It must be greater than or equal to "
                    + "MaxRuntimeInSeconds (" + maxRuntime + ")");
        }
        if (maxRuntime > MAX_RUNTIME_LIMIT_SECONDS) {
            throw AwsError.validation("Invalid MaxRuntimeInSeconds. It must be less than or equal to "
                    + MAX_RUNTIME_LIMIT_SECONDS);
        }
        int count = r.path("ResourceConfig").path("InstanceCount").asInt();
        if (count > MAX_INSTANCES_PER_JOB) {
            throw new AwsError(400, "ResourceLimitExceeded", "The account-level service limit 'Number of instances per "
                    + "training job' is " + MAX_INSTANCES_PER_JOB + " Instances, with current utilization of 0 Instances and "
                    + "a request delta of " + count + " Instances. Please contact AWS support to request an increase for "
                    + "this limit.");
        }
    }

    private static String text(JsonNode n, String field) {
        if (n == null) return null;
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String isNull(String at) {
        return "Value null at '" + at + "' failed to satisfy constraint: Member must not be null";
    }

    private static String value(String v, String at) {
        return "Value '" + v + "' at '" + at + "' failed to satisfy constraint: ";
    }
}
