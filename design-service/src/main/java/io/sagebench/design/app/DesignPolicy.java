package io.sagebench.design.app;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.sagebench.design.domain.ValidationError;

/**
 * What a design may carry (docs/security.md, "What a design may carry"). Runs on the raw JSON tree before the design
 * is read, so a field the parser would ignore (an {@code imageUri}, a role ARN inside a name) is still refused. Every
 * problem is reported with its JSON path and the rule's name.
 */
public final class DesignPolicy {

    public static final String RESERVED_HYPERPARAMETER = "reserved-hyperparameter";
    public static final String HYPERPARAMETER_BOUNDS = "hyperparameter-bounds";
    public static final String IMAGE_NOT_ALLOWED = "image-not-allowed";
    public static final String ROLE_NOT_ALLOWED = "role-not-allowed";
    public static final String S3_OUTSIDE_BUCKETS = "s3-outside-buckets";
    public static final String PAYLOAD_TOO_LARGE = "payload-too-large";
    public static final String SUBMITTER_MISMATCH = "submitter-mismatch";
    public static final String UNAUTHENTICATED_SUBMISSION = "unauthenticated-submission";

    /** SageMaker accepts 100 hyperparameters per job and the launcher adds about 20: a design gets 50. */
    public static final int MAX_HYPERPARAMETERS = 50;
    public static final int MAX_HYPERPARAMETER_KEY_LENGTH = 64;
    /** SageMaker's own limit is 2,500 characters; a benchmark's knob needs far less. */
    public static final int MAX_HYPERPARAMETER_VALUE_LENGTH = 1024;
    static final Pattern HYPERPARAMETER_KEY = Pattern.compile("^[A-Za-z_][A-Za-z0-9_.-]*$");
    /** Printable ASCII: no control characters, no line breaks to forge log lines or shell arguments with. */
    static final Pattern PRINTABLE = Pattern.compile("^[\\x20-\\x7E]*$");

    /**
     * Keys launcher-service's TrainingJobRequestFactory derives from the design's own fields (model, dataset, steps,
     * batch, rate, replicate seed). Shadowing one would make the run differ from what its cellId and quote say; the
     * design sets these through its fields.
     */
    static final Set<String> DERIVED_KEYS = Set.of("model_name_or_path", "dataset_name", "dataset_size",
            "train_fraction", "split_seed", "max_steps", "epochs", "per_device_train_batch_size", "learning_rate",
            "max_seq_length", "seed");

    private static final Pattern ROLE_ARN = Pattern.compile("(?i)arn:aws[a-z-]*:iam::[0-9]*:role/");
    private static final Pattern ECR_IMAGE = Pattern.compile("(?i)[0-9]{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com");
    /** s3://bucket, s3a://, s3n://, arn:aws:s3:::bucket, virtual-hosted and path-style HTTPS URLs. */
    private static final List<Pattern> S3_BUCKET = List.of(
            Pattern.compile("(?i)\\bs3[an]?://([^/\\s\"'?#]*)"),
            Pattern.compile("(?i)arn:aws[a-z-]*:s3:::([^/\\s\"'?#]*)"),
            Pattern.compile("(?i)https?://([a-z0-9.-]+)\\.s3(?:[.-][a-z0-9-]+)*\\.amazonaws\\.com"),
            Pattern.compile("(?i)https?://s3(?:[.-][a-z0-9-]+)*\\.amazonaws\\.com(?:\\.cn)?/([^/\\s\"'?#]*)"));

    private final Set<String> allowedBuckets;

    public DesignPolicy(Set<String> allowedBuckets) {
        this.allowedBuckets = Set.copyOf(allowedBuckets);
    }

    public List<ValidationError> check(JsonNode root) {
        List<ValidationError> errors = new ArrayList<>();
        if (root == null || !root.isObject()) {
            return errors;
        }
        // the hyperparameter rules first: a reserved key is the gravest thing a design can carry (and names the
        // rejection in sagebench.designs.rejected{rule})
        JsonNode hp = root.get("hyperparameters");
        if (hp != null && hp.isObject()) {
            checkHyperparameters(hp, errors);
        }
        walk(root, "$", errors);
        return errors;
    }

    private void walk(JsonNode node, String path, List<ValidationError> errors) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String childPath = path + "." + printable(field.getKey());
                String name = field.getKey().toLowerCase(Locale.ROOT);
                if (name.contains("image")) {
                    errors.add(new ValidationError(childPath, "a design may not name a training image: the launcher "
                            + "chooses it from its allowlist", IMAGE_NOT_ALLOWED));
                }
                if (name.contains("role")) {
                    errors.add(new ValidationError(childPath, "a design may not name an IAM role: the execution role "
                            + "comes from the launcher's configuration", ROLE_NOT_ALLOWED));
                }
                walk(field.getValue(), childPath, errors);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), path + "[" + i + "]", errors);
            }
        } else if (node.isTextual()) {
            checkText(node.asText(), path, errors);
        }
    }

    private void checkText(String text, String path, List<ValidationError> errors) {
        if (ROLE_ARN.matcher(text).find()) {
            errors.add(new ValidationError(path, "a design may not carry an IAM role ARN: the execution role comes "
                    + "from the launcher's configuration", ROLE_NOT_ALLOWED));
        }
        if (ECR_IMAGE.matcher(text).find()) {
            errors.add(new ValidationError(path, "a design may not name a training image: the launcher chooses it "
                    + "from its allowlist", IMAGE_NOT_ALLOWED));
        }
        for (Pattern p : S3_BUCKET) {
            Matcher m = p.matcher(text);
            while (m.find()) {
                String bucket = m.group(1).toLowerCase(Locale.ROOT);
                if (!allowedBuckets.contains(bucket)) {
                    errors.add(new ValidationError(path, "S3 bucket '" + printable(bucket)
                            + "' is not one of the configured buckets " + allowedBuckets, S3_OUTSIDE_BUCKETS));
                }
            }
        }
    }

    private static void checkHyperparameters(JsonNode hp, List<ValidationError> errors) {
        if (hp.size() > MAX_HYPERPARAMETERS) {
            errors.add(new ValidationError("$.hyperparameters", "has " + hp.size() + " entries, at most "
                    + MAX_HYPERPARAMETERS + " are allowed", HYPERPARAMETER_BOUNDS));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = hp.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            String path = "$.hyperparameters." + printable(key);
            // sagemaker_program, SageMaker-Program, sagemaker.submit_directory: all the same key to the toolkit's eye
            String normalized = key.toLowerCase(Locale.ROOT).replace('-', '_').replace('.', '_');
            if (normalized.startsWith("sagemaker_")) {
                errors.add(new ValidationError(path, "sagemaker_* hyperparameters are set by the launcher (they "
                        + "choose the code that runs under the execution role)", RESERVED_HYPERPARAMETER));
            } else if (DERIVED_KEYS.contains(normalized)) {
                errors.add(new ValidationError(path, "'" + key + "' is derived from the design's own fields; set "
                        + "it there", RESERVED_HYPERPARAMETER));
            }
            if (key.isEmpty() || key.length() > MAX_HYPERPARAMETER_KEY_LENGTH || !HYPERPARAMETER_KEY.matcher(key).matches()) {
                errors.add(new ValidationError(path, "a hyperparameter name must be 1 to "
                        + MAX_HYPERPARAMETER_KEY_LENGTH + " characters of letters, digits, '_', '.' and '-', "
                        + "not starting with a digit, '.' or '-'", HYPERPARAMETER_BOUNDS));
            }
            JsonNode v = e.getValue();
            if (v.isValueNode() && !v.isNull()) {
                String value = v.asText();
                if (value.length() > MAX_HYPERPARAMETER_VALUE_LENGTH) {
                    errors.add(new ValidationError(path, "value has " + value.length() + " characters, at most "
                            + MAX_HYPERPARAMETER_VALUE_LENGTH + " are allowed", HYPERPARAMETER_BOUNDS));
                } else if (!PRINTABLE.matcher(value).matches()) {
                    errors.add(new ValidationError(path, "value must be printable ASCII (no control characters or "
                            + "line breaks)", HYPERPARAMETER_BOUNDS));
                }
            }
        }
    }

    /** A name or value as it may be echoed in an error: printable, at most 64 characters. */
    public static String printable(String s) {
        String cut = s.length() > 64 ? s.substring(0, 64) + "…" : s;
        StringBuilder out = new StringBuilder(cut.length());
        cut.codePoints().forEach(c -> out.append(c >= 0x20 && c != 0x7f ? Character.toString(c) : "?"));
        return out.toString();
    }
}
