package io.sagebench.launcher.it;

import static io.sagebench.launcher.it.LauncherTestSupport.launchEvents;
import static io.sagebench.launcher.it.LauncherTestSupport.newDesignId;
import static io.sagebench.launcher.it.LauncherTestSupport.planRun;
import static io.sagebench.launcher.it.LauncherTestSupport.tree;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.sagebench.launcher.client.CodeUploader;
import io.sagebench.launcher.domain.RunPlans;
import io.sagebench.launcher.domain.SourceArchive;
import io.sagebench.testkit.EventContract;
import io.sagebench.testkit.S3StandInResource;
import io.sagebench.testkit.SageMakerEmulatorResource;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * Issue 4's sourcedir.tar.gz: the training code is tarred deterministically, put once into the code bucket under its
 * SHA-256 (HeadObject first), every job's sagemaker_submit_directory points at it, and an S3 outage makes a launch
 * fail retryably, never loses the run.
 */
@QuarkusTest
class SourceCodeUploadIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String BUCKET = S3StandInResource.DEFAULT_BUCKET;
    private static final SourceArchive SOURCE = SourceArchive.fromClasspath(SourceArchive.SOURCE_DIR);
    private static final String KEY = SOURCE.key("sagebench/code");

    @Inject
    SageMakerClient sageMaker;
    @Inject
    CodeUploader uploader;

    private static String metrics() {
        return io.restassured.RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    @AfterEach
    void outageOff() {
        S3StandInResource.standIn().failing(false);
    }

    @Test
    void manyLaunchesShareOneContentAddressedUploadThatEveryJobPointsAt() {
        String designId = newDesignId();
        List<Map<String, Object>> runs = List.of(RunPlans.p3Baseline(designId, 1, 30),
                RunPlans.p3Baseline(designId, 2, 30), RunPlans.p3Baseline(designId, 3, 30));
        runs.forEach(LauncherTestSupport::planRun);

        for (Map<String, Object> run : runs) {
            String runId = (String) run.get("runId");
            assertEquals(1, launchEvents(runId, "RunLaunched", 1, WAIT).size(), runId + " launched");
            var job = sageMaker.describeTrainingJob(b -> b.trainingJobName("bench-" + runId + "-a1"));
            assertEquals("\"s3://" + BUCKET + "/" + KEY + "\"", job.hyperParameters().get("sagemaker_submit_directory"));
            assertEquals("\"train.py\"", job.hyperParameters().get("sagemaker_program"));
        }
        assertTrue(KEY.matches("sagebench/code/sourcedir-[0-9a-f]{64}/sourcedir\\.tar\\.gz"), KEY);
        var stored = S3StandInResource.object(BUCKET, KEY).orElseThrow();
        assertArrayEquals(SOURCE.bytes(), stored.bytes(), "the bucket holds exactly the archive the jar builds");
        assertEquals(List.of(KEY), S3StandInResource.standIn().keys(BUCKET).stream()
                .filter(k -> k.startsWith("sagebench/code/")).toList(), "one object for one content");
        assertEquals(1, S3StandInResource.standIn().putCount(), "uploaded once for every launch of this process");
    }

    @Test
    void anS3OutageIsARetryableLaunchFailureAndTheRunLaunchesWhenS3IsBack() {
        uploader.forget(); // as a fresh replica would: it has to look at the bucket before its first launch
        double retriesBefore = LauncherObservabilityIT.value(metrics(), "sagebench_aws_retries_total",
                "operation=\"HeadObject\"");
        S3StandInResource.standIn().failing(true);
        Map<String, Object> run = RunPlans.p3Baseline(newDesignId(), 1, 30);
        String runId = (String) run.get("runId");
        planRun(run);

        var failed = launchEvents(runId, "RunLaunchFailed", 1, WAIT);
        assertEquals(1, failed.size(), "the outage is reported, not swallowed");
        EventContract.assertValid("RunLaunchFailed", failed.get(0).value());
        var event = tree(failed.get(0).value());
        assertEquals("internal", event.get("failureClass").asText());
        assertEquals("SourceUploadFailed", event.get("errorCode").asText());
        assertTrue(event.get("retryable").asBoolean(), "retryable: the run is kept and tried again");
        assertEquals(0, SageMakerEmulatorResource.emulator().createdJobNames().stream()
                .filter(n -> n.startsWith("bench-" + runId)).count(), "no job points at code that is not there");

        String metrics = metrics();
        assertTrue(LauncherObservabilityIT.value(metrics, "sagebench_aws_retries_total", "operation=\"HeadObject\"")
                >= retriesBefore + 1, "the S3 client's own retries are counted");
        assertTrue(LauncherObservabilityIT.value(metrics, "sagebench_aws_calls_seconds_count",
                "operation=\"HeadObject\"", "outcome=\"server-error\"") >= 1, "and the failed calls by outcome");

        S3StandInResource.standIn().failing(false);
        assertEquals(1, launchEvents(runId, "RunLaunched", 1, WAIT).size(), "launched once S3 answers again");
        assertTrue(S3StandInResource.object(BUCKET, KEY).isPresent());
    }
}
