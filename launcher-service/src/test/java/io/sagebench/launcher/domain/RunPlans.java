package io.sagebench.launcher.domain;

import java.util.LinkedHashMap;
import java.util.Map;

/** RunPlanned payloads for tests, built as maps so a test can change or drop any field. */
public final class RunPlans {
    private RunPlans() {
    }

    /** The golden run: 2 x p4d, smdistributed, spot, like the facts file's example. */
    public static Map<String, Object> p4dSpot(String designId, int sequence) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("runId", designId + "-r" + String.format("%03d", sequence));
        run.put("designId", designId);
        run.put("cellId", "0123456789ab");
        run.put("sequence", sequence);
        run.put("replicate", 1);
        run.put("model", Map.of("hubId", "bert-large-uncased", "parameters", 335141888, "sequenceLength", 512));
        run.put("dataset", Map.of("hubId", "amazon_polarity", "size", 1000000, "trainFraction", 0.9, "splitSeed", 42));
        run.put("cluster", Map.of("instanceType", "ml.p4d.24xlarge", "instanceCount", 2, "gpusPerInstance", 8,
                "totalGpus", 16, "distribution", "smdistributed"));
        run.put("perDeviceBatchSize", 32);
        run.put("globalBatchSize", 512);
        run.put("learningRate", 5e-5);
        run.put("steps", 5274);
        run.put("epochs", 3);
        run.put("samplesSeen", 2700000);
        run.put("volumeSizeGb", 120);
        run.put("maxRuntimeSeconds", 86400);
        run.put("spot", true);
        run.put("maxWaitSeconds", 172800);
        run.put("region", "us-east-1");
        run.put("hyperparameters", new LinkedHashMap<>(Map.of("warmup_steps", "500", "lr_scheduler_type", "linear")));
        run.put("quote", Map.of("seconds", 3600.5, "usd", 75.38, "hourlyPriceUsd", 37.688, "priceBookVersion", "2024-01"));
        return run;
    }

    /** One V100, no data parallel, on demand: the study's 1-GPU baseline. */
    public static Map<String, Object> p3Baseline(String designId, int sequence, int volumeGb) {
        Map<String, Object> run = p4dSpot(designId, sequence);
        run.put("model", Map.of("hubId", "distilbert-base-uncased", "parameters", 66955010, "sequenceLength", 512));
        run.put("dataset", Map.of("hubId", "amazon_polarity", "size", 100000, "trainFraction", 0.9, "splitSeed", 42));
        run.put("cluster", Map.of("instanceType", "ml.p3.2xlarge", "instanceCount", 1, "gpusPerInstance", 1,
                "totalGpus", 1, "distribution", "none"));
        run.put("globalBatchSize", 32);
        run.put("steps", 84375);
        run.put("epochs", 30);
        run.put("volumeSizeGb", volumeGb);
        run.put("maxRuntimeSeconds", 172800);
        run.put("spot", false);
        run.remove("maxWaitSeconds");
        run.remove("hyperparameters");
        return run;
    }

    public static LaunchSettings settings() {
        return new LaunchSettings("us-east-1", "arn:aws:iam::123456789012:role/SageMakerExecutionRole",
                "sagemaker-us-east-1-123456789012", "s3://{bucket}/datasets/{dataset}/",
                TrainingImage.uri("us-east-1", "4.36.0", "2.1.0", "py310", "cu121-ubuntu20.04"), "train.py", 20);
    }
}
