package io.sagebench.launcher.domain;

import java.util.List;

/**
 * The training images the launcher may pass to SageMaker: an image is allowed when its repository (everything before
 * the {@code :tag} or {@code @digest}) is one of the listed repositories, or when it equals a listed image exactly. A
 * foreign image would run someone else's code under the execution role (docs/security.md).
 */
public record ImageAllowlist(List<String> entries) {
    /** The Hugging Face training DLC repositories the SageMaker SDK's HuggingFace estimator resolves to. */
    static final List<String> HUGGING_FACE_REPOSITORIES =
            List.of("huggingface-pytorch-training", "huggingface-pytorch-trcomp-training");

    public ImageAllowlist {
        entries = entries.stream().map(String::trim).filter(e -> !e.isEmpty()).toList();
    }

    /** The default: the Hugging Face DLC repositories of the region's registry. */
    public static ImageAllowlist huggingFaceDlcs(String region) {
        return new ImageAllowlist(HUGGING_FACE_REPOSITORIES.stream()
                .map(repository -> TrainingImage.registry(region) + "/" + repository).toList());
    }

    public boolean allows(String image) {
        if (image == null || image.isBlank()) {
            return false;
        }
        String repository = repositoryOf(image);
        return entries.stream().anyMatch(e -> e.equals(image) || e.equals(repository));
    }

    /** {@code registry/repo} of {@code registry/repo:tag} or {@code registry/repo@sha256:...}. */
    static String repositoryOf(String image) {
        int at = image.indexOf('@');
        String name = at >= 0 ? image.substring(0, at) : image;
        int slash = name.lastIndexOf('/');
        int colon = name.lastIndexOf(':');
        return colon > slash ? name.substring(0, colon) : name;
    }
}
