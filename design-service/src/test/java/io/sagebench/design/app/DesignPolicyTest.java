package io.sagebench.design.app;

import io.sagebench.design.domain.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each rule of docs/security.md's "What a design may carry" against an attacking design, and what stays allowed. */
class DesignPolicyTest {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String BUCKET = "sagemaker-us-east-1-000000000000";
    final DesignPolicy policy = new DesignPolicy(Set.of(BUCKET));

    static ObjectNode design() {
        ObjectNode d = MAPPER.createObjectNode().put("designId", "policy").put("name", "a fair design");
        d.putObject("model").put("hubId", "distilbert-base-uncased").put("parameters", 66955010).put("sequenceLength", 512);
        d.putObject("dataset").put("hubId", "amazon_polarity").putArray("sizes").add(100000);
        d.putObject("hyperparameters").put("fp16", "false").put("warmup_ratio", 0.1).put("lr_scheduler_type", "linear");
        return d;
    }

    List<ValidationError> check(Consumer<ObjectNode> attack) {
        ObjectNode d = design();
        attack.accept(d);
        return policy.check(d);
    }

    void assertBreaks(String rule, String path, Consumer<ObjectNode> attack) {
        List<ValidationError> errors = check(attack);
        assertTrue(errors.stream().anyMatch(e -> e.rule().equals(rule) && e.path().equals(path)),
                () -> "expected " + rule + " at " + path + " in " + errors);
    }

    ObjectNode hp(ObjectNode d) {
        return (ObjectNode) d.get("hyperparameters");
    }

    @Test
    void aFairDesignPasses() {
        assertEquals(List.of(), policy.check(design()));
        assertEquals(List.of(), check(d -> hp(d).put("data_uri", "s3://" + BUCKET + "/data/train")));
    }

    @Test
    void reservedHyperparameters() {
        assertBreaks("reserved-hyperparameter", "$.hyperparameters.sagemaker_program",
                d -> hp(d).put("sagemaker_program", "evil.py"));
        assertBreaks("reserved-hyperparameter", "$.hyperparameters.SageMaker_Submit_Directory",
                d -> hp(d).put("SageMaker_Submit_Directory", "s3://" + BUCKET + "/evil.tar.gz"));
        assertBreaks("reserved-hyperparameter", "$.hyperparameters.sagemaker-region",
                d -> hp(d).put("sagemaker-region", "eu-west-1"));
        // keys the launcher derives from the design's own fields
        assertBreaks("reserved-hyperparameter", "$.hyperparameters.learning_rate", d -> hp(d).put("learning_rate", "1"));
        assertBreaks("reserved-hyperparameter", "$.hyperparameters.seed", d -> hp(d).put("seed", "7"));
        assertBreaks("reserved-hyperparameter", "$.hyperparameters.model_name_or_path",
                d -> hp(d).put("model_name_or_path", "someone/else"));
    }

    @Test
    void hyperparameterBounds() {
        assertBreaks("hyperparameter-bounds", "$.hyperparameters", d -> {
            for (int i = 0; i < DesignPolicy.MAX_HYPERPARAMETERS + 1; i++) {
                hp(d).put("k" + i, "v");
            }
        });
        assertBreaks("hyperparameter-bounds", "$.hyperparameters." + "k".repeat(64) + "…",
                d -> hp(d).put("k".repeat(65), "v"));
        assertBreaks("hyperparameter-bounds", "$.hyperparameters.bad key;rm", d -> hp(d).put("bad key;rm", "v"));
        assertBreaks("hyperparameter-bounds", "$.hyperparameters.long", d -> hp(d).put("long", "x".repeat(1025)));
        assertBreaks("hyperparameter-bounds", "$.hyperparameters.newline", d -> hp(d).put("newline", "a\nb"));
        assertBreaks("hyperparameter-bounds", "$.hyperparameters.control", d -> hp(d).put("control", "a\u0007"));
        // at the limits is fine
        assertEquals(List.of(), check(d -> hp(d).put("k".repeat(64), "x".repeat(1024))));
    }

    @Test
    void noTrainingImage() {
        assertBreaks("image-not-allowed", "$.image", d -> d.put("image", "attacker/pytorch:latest"));
        assertBreaks("image-not-allowed", "$.imageUri", d -> d.put("imageUri", "x"));
        assertBreaks("image-not-allowed", "$.model.trainingImage", d -> ((ObjectNode) d.get("model")).put("trainingImage", "x"));
        assertBreaks("image-not-allowed", "$.hyperparameters.container",
                d -> hp(d).put("container", "123456789012.dkr.ecr.us-east-1.amazonaws.com/evil:1"));
    }

    @Test
    void noRole() {
        assertBreaks("role-not-allowed", "$.roleArn", d -> d.put("roleArn", "x"));
        assertBreaks("role-not-allowed", "$.executionRole", d -> d.put("executionRole", "x"));
        assertBreaks("role-not-allowed", "$.name", d -> d.put("name", "arn:aws:iam::123456789012:role/Admin"));
        assertBreaks("role-not-allowed", "$.hyperparameters.assume",
                d -> hp(d).put("assume", "ARN:AWS:IAM::123456789012:ROLE/Admin"));
    }

    @Test
    void s3OnlyInsideTheBuckets() {
        assertBreaks("s3-outside-buckets", "$.hyperparameters.output", d -> hp(d).put("output", "s3://attacker-bucket/x"));
        assertBreaks("s3-outside-buckets", "$.dataset.hubId",
                d -> ((ObjectNode) d.get("dataset")).put("hubId", "s3a://other/data"));
        assertBreaks("s3-outside-buckets", "$.hyperparameters.arn", d -> hp(d).put("arn", "arn:aws:s3:::other/key"));
        assertBreaks("s3-outside-buckets", "$.hyperparameters.vhost",
                d -> hp(d).put("vhost", "https://other.s3.us-east-1.amazonaws.com/key"));
        assertBreaks("s3-outside-buckets", "$.hyperparameters.path",
                d -> hp(d).put("path", "https://s3.amazonaws.com/other/key"));
        // a look-alike bucket name with the allowed one as a prefix is another bucket
        assertBreaks("s3-outside-buckets", "$.hyperparameters.prefix", d -> hp(d).put("prefix", "s3://" + BUCKET + "-evil/x"));
        // two URIs in one value: each is checked
        assertBreaks("s3-outside-buckets", "$.hyperparameters.two",
                d -> hp(d).put("two", "s3://" + BUCKET + "/a,s3://other/b"));
    }

    @Test
    void everyProblemIsListed() {
        List<ValidationError> errors = check(d -> {
            hp(d).put("sagemaker_program", "evil.py").put("out", "s3://other/x");
            d.put("imageUri", "x").put("roleArn", "arn:aws:iam::123456789012:role/Admin");
        });
        Set<String> rules = new java.util.HashSet<>();
        errors.forEach(e -> rules.add(e.rule()));
        assertEquals(Set.of("reserved-hyperparameter", "s3-outside-buckets", "image-not-allowed", "role-not-allowed"), rules);
    }
}
