package io.sagebench.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.sagebench.emulator.S3StandIn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The in-memory S3 stand-in ({@link S3StandIn}) on a free loopback port, for the launcher's code uploads.
 *
 * <p>Init arg {@code buckets}: comma-separated bucket names that exist (default {@value #DEFAULT_BUCKET}, the
 * architecture's {@code SAGEBENCH_BUCKET} default); any other bucket answers 404 NoSuchBucket.
 *
 * <p>Config it returns: {@code sagebench.aws.s3-endpoint} = the stand-in's URL (clients must use path-style addressing,
 * {@code forcePathStyle(true)}) and {@code sagebench.aws.static-credentials=true}.
 *
 * <p>Tests read what was stored with {@link #object(String, String)} / {@link #standIn()} and simulate an outage with
 * {@code standIn().failing(true)} (every S3 call answers 500 InternalError until switched off).
 */
public class S3StandInResource implements QuarkusTestResourceLifecycleManager {

    public static final String DEFAULT_BUCKET = "sagemaker-us-east-1-000000000000";
    private static volatile S3StandIn standIn;
    private List<String> buckets = List.of(DEFAULT_BUCKET);

    /** The running stand-in: stored objects, put count, the outage switch. */
    public static S3StandIn standIn() {
        S3StandIn current = standIn;
        if (current == null) {
            throw new IllegalStateException("S3StandInResource has not started");
        }
        return current;
    }

    /** What the service stored under {@code bucket/key}, if anything. */
    public static Optional<S3StandIn.StoredObject> object(String bucket, String key) {
        return standIn().object(bucket, key);
    }

    @Override
    public void init(Map<String, String> initArgs) {
        String names = initArgs.get("buckets");
        if (names != null) {
            buckets = Arrays.stream(names.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
    }

    @Override
    public Map<String, String> start() {
        try {
            standIn = S3StandIn.start("127.0.0.1", 0, buckets);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "sagebench.aws.s3-endpoint", standIn.endpoint().toString(),
                "sagebench.aws.static-credentials", "true");
    }

    @Override
    public void stop() {
        if (standIn != null) {
            standIn.close();
            standIn = null;
        }
    }
}
