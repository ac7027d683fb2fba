package io.sagebench.launcher.domain;

import java.util.Map;

/**
 * The Hugging Face training DLC URI the SageMaker Python SDK resolves ({@code image_uris.retrieve("huggingface", ...)}):
 * {@code <account>.dkr.ecr.<region>.<domain>/huggingface-pytorch-training:<pt>-transformers<tf>-gpu-<py>-<cuda-os>}.
 */
public final class TrainingImage {
    /** DLC registry account per region; 763104351884 everywhere else (image_uri_config/huggingface.json). */
    private static final Map<String, String> REGISTRY_BY_REGION = Map.of(
            "af-south-1", "626614931356",
            "ap-east-1", "871362719292",
            "eu-south-1", "692866216735",
            "me-south-1", "217643126080",
            "cn-north-1", "727897471807",
            "cn-northwest-1", "727897471807");

    private TrainingImage() {
    }

    public static String uri(String region, String transformersVersion, String pytorchVersion, String pythonVersion,
                             String cudaOs) {
        return registry(region) + "/huggingface-pytorch-training:"
                + pytorchVersion + "-transformers" + transformersVersion + "-gpu-" + pythonVersion + "-" + cudaOs;
    }

    /** The region's DLC registry host, {@code <account>.dkr.ecr.<region>.<domain>}. */
    public static String registry(String region) {
        String account = REGISTRY_BY_REGION.getOrDefault(region, "763104351884");
        String domain = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
        return account + ".dkr.ecr." + region + "." + domain;
    }
}
