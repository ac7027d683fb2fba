package io.sagebench.launcher.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.sagebench.launcher.app.RunPlanReader;
import io.sagebench.launcher.client.TrainingJobRequestFactory;

class ImageAllowlistTest {
    private static final String DLC = TrainingImage.uri("us-east-1", "4.36.0", "2.1.0", "py310", "cu121-ubuntu20.04");

    @Test
    void theDefaultAllowsTheRegionsHuggingFaceDlcsOnly() {
        ImageAllowlist allow = ImageAllowlist.huggingFaceDlcs("us-east-1");
        assertTrue(allow.allows(DLC));
        assertTrue(allow.allows("763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-training@sha256:ab"));
        assertFalse(allow.allows("763104351884.dkr.ecr.eu-west-1.amazonaws.com/huggingface-pytorch-training:2.1.0"));
        assertFalse(allow.allows("763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-training-evil:1"));
        assertFalse(allow.allows("123456789012.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-training:1"));
        assertFalse(allow.allows("docker.io/library/python:3.10"));
        assertFalse(allow.allows(null));
        assertTrue(ImageAllowlist.huggingFaceDlcs("cn-north-1")
                .allows("727897471807.dkr.ecr.cn-north-1.amazonaws.com.cn/huggingface-pytorch-training:2.1.0"));
    }

    @Test
    void aConfiguredListAllowsItsRepositoriesAndExactImages() {
        ImageAllowlist allow = new ImageAllowlist(List.of(" 111111111111.dkr.ecr.us-east-1.amazonaws.com/ours ",
                "222222222222.dkr.ecr.us-east-1.amazonaws.com/pinned:1.0", ""));
        assertEquals(2, allow.entries().size());
        assertTrue(allow.allows("111111111111.dkr.ecr.us-east-1.amazonaws.com/ours:any"));
        assertTrue(allow.allows("222222222222.dkr.ecr.us-east-1.amazonaws.com/pinned:1.0"));
        assertFalse(allow.allows("222222222222.dkr.ecr.us-east-1.amazonaws.com/pinned:2.0"));
        assertFalse(allow.allows(DLC));
    }

    @Test
    void aConfiguredImageOutsideTheAllowlistFailsEveryRunBeforeAnyCall() {
        LaunchSettings base = RunPlans.settings();
        LaunchSettings foreign = new LaunchSettings(base.region(), base.roleArn(), base.bucket(),
                base.datasetUriTemplate(), "123456789012.dkr.ecr.us-east-1.amazonaws.com/other:1", base.entryPoint(),
                base.containerLogLevel(), base.imageAllowlist(), null);
        RunPlan run = RunPlanReader.read(LauncherJson.json(RunPlans.p3Baseline("d-0123456789ab", 1, 30)));
        var problems = new TrainingJobRequestFactory(foreign).problems(run);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("image-not-allowed: the configured training image"), problems.get(0));
        assertTrue(new TrainingJobRequestFactory(base).problems(run).isEmpty());
    }

    @Test
    void reservedHyperparametersAreRefusedWhateverTheirCase() {
        Map<String, Object> plan = RunPlans.p3Baseline("d-0123456789ab", 1, 30);
        plan.put("hyperparameters", Map.of("sagemaker_program", "x.py", "SAGEMAKER_REGION", "eu-west-1", "lr", "1"));
        RunPlan run = RunPlanReader.read(LauncherJson.json(plan));
        var problems = new TrainingJobRequestFactory(RunPlans.settings()).problems(run);
        assertEquals(List.of(
                "$.hyperparameters.SAGEMAKER_REGION: reserved-hyperparameter: keys starting with sagemaker_ are set by "
                        + "the launcher only",
                "$.hyperparameters.sagemaker_program: reserved-hyperparameter: keys starting with sagemaker_ are set by "
                        + "the launcher only"), problems);
    }

    @Test
    void withACodeBucketTheRequestPointsAtTheSharedUpload() {
        String uri = "s3://code-bucket/sagebench/code/sourcedir-abc/sourcedir.tar.gz";
        var factory = new TrainingJobRequestFactory(RunPlans.settings().withSubmitDirectory(uri));
        RunPlan run = RunPlanReader.read(LauncherJson.json(RunPlans.p3Baseline("d-0123456789ab", 1, 30)));
        var hp = factory.build(run, 2).hyperParameters();
        assertEquals("\"" + uri + "\"", hp.get("sagemaker_submit_directory"));
        assertEquals("\"train.py\"", hp.get("sagemaker_program"));
        assertEquals("\"s3://sagemaker-us-east-1-123456789012/bench-d-0123456789ab-r001-a2/source/sourcedir.tar.gz\"",
                new TrainingJobRequestFactory(RunPlans.settings()).build(run, 2).hyperParameters()
                        .get("sagemaker_submit_directory"), "without a code bucket: the estimator's per-job key");
    }
}
