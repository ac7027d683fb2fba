package io.sagebench.results.domain;

import java.util.List;
import java.util.Locale;

/**
 * Why a run failed, as a short class for the {@code sagebench.runs.failed} metric: from a failed job's FailureReason
 * (SageMaker's "&lt;ErrorType&gt;: …" prefixes), or the launcher's failureClass when the launch failed for good.
 */
public final class FailureClass {

    public static final String OUT_OF_MEMORY = "out-of-memory";
    public static final String DISK = "disk";
    public static final String CAPACITY = "capacity";
    public static final String INTERNAL = "internal";
    public static final String ALGORITHM = "algorithm";
    public static final String CLIENT = "client";
    public static final String UNKNOWN = "unknown";
    public static final List<String> ALL = List.of(OUT_OF_MEMORY, DISK, CAPACITY, INTERNAL, ALGORITHM, CLIENT, UNKNOWN);

    private FailureClass() {
    }

    public static String ofJob(String failureReason) {
        if (failureReason == null || failureReason.isBlank()) {
            return UNKNOWN;
        }
        String r = failureReason.toLowerCase(Locale.ROOT);
        if (r.contains("out of memory")) {
            return OUT_OF_MEMORY;
        }
        if (r.contains("archiveerror") || r.contains("no space left")) {
            return DISK;
        }
        if (r.startsWith("capacityerror") || r.contains("insufficient capacity")) {
            return CAPACITY;
        }
        if (r.startsWith("internalservererror") || r.contains("internal server error")) {
            return INTERNAL;
        }
        if (r.startsWith("algorithmerror")) {
            return ALGORITHM;
        }
        if (r.startsWith("clienterror")) {
            return CLIENT;
        }
        return UNKNOWN;
    }
}
