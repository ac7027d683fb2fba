package io.sagebench.monitor.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebench.monitor.domain.JobStatus;
import io.sagebench.monitor.domain.ParseOutcome;
import io.sagebench.monitor.domain.TrainingJobEvent;
import io.sagebench.monitor.domain.UnparseableEventException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventParserTest {

    private final EventParser parser = new EventParser(new ObjectMapper(), "bench-", Optional.empty());

    /** The sample of the AWS developer guide (facts file §3), with our job name: times are strings, Tags an object. */
    private static final String DOC_SAMPLE = """
            {"version":"0","id":"844e2571-85d4-695f-b930-0153b71dcb42",
             "detail-type":"SageMaker Training Job State Change","source":"aws.sagemaker",
             "account":"123456789012","time":"2018-10-06T12:26:13Z","region":"us-east-1",
             "resources":["arn:aws:sagemaker:us-east-1:123456789012:training-job/kmeans-1"],
             "detail":{"TrainingJobName":"bench-d-0123456789ab-r001-a1",
              "TrainingJobArn":"arn:aws:sagemaker:us-east-1:123456789012:training-job/kmeans-1",
              "TrainingJobStatus":"Completed","SecondaryStatus":"Completed",
              "HyperParameters":{"Hyper":"Parameters"},
              "AlgorithmSpecification":{"TrainingImage":"TrainingImage","TrainingInputMode":"TrainingInputMode"},
              "RoleArn":"arn:aws:iam::123456789012:role/SMRole","InputDataConfig":[],"OutputDataConfig":{},
              "ResourceConfig":{"InstanceType":"InstanceType","InstanceCount":3,"VolumeSizeInGB":20},
              "VpcConfig":{},"StoppingCondition":{"MaxRuntimeInSeconds":60},
              "CreationTime":"1583831889050","TrainingStartTime":"1583831889050","TrainingEndTime":"1583831889050",
              "LastModifiedTime":"1583831889050","SecondaryStatusTransitions":[],"Tags":{}}}
            """;

    private TrainingJobEvent ours(String body) {
        ParseOutcome outcome = parser.parse(body);
        return assertInstanceOf(ParseOutcome.Ours.class, outcome).event();
    }

    private static String event(String detailFields) {
        return """
                {"id":"e-1","detail-type":"SageMaker Training Job State Change","source":"aws.sagemaker",
                 "account":"000000000000","time":"2026-01-01T00:00:00Z","unknownTopLevel":{"x":1},
                 "detail":{"TrainingJobName":"bench-d-abc-r002-a3","TrainingJobStatus":"InProgress",%s}}
                """.formatted(detailFields);
    }

    @Test
    void readsTheDocumentationSample() {
        TrainingJobEvent e = ours(DOC_SAMPLE);
        assertEquals("844e2571-85d4-695f-b930-0153b71dcb42", e.eventId());
        assertEquals("bench-d-0123456789ab-r001-a1", e.jobName());
        assertEquals(JobStatus.Completed, e.status());
        assertEquals("Completed", e.secondaryStatus());
        assertEquals(Instant.ofEpochMilli(1583831889050L), e.lastModifiedTime());
        assertEquals("arn:aws:sagemaker:us-east-1:123456789012:training-job/kmeans-1", e.jobArn());
        assertTrue(e.tags().isEmpty());
        assertNull(e.failureReason());
    }

    @Test
    void theRunBoundIsMaxWaitForSpotElseMaxRuntime() {
        assertEquals(3600L, ours(event("\"StoppingCondition\":{\"MaxRuntimeInSeconds\":3600}")).maxRunSeconds());
        assertEquals(3600L, ours(event("\"StoppingCondition\":{\"MaxRuntimeInSeconds\":\"3600\"}")).maxRunSeconds());
        assertEquals(7200L, ours(event("\"StoppingCondition\":{\"MaxRuntimeInSeconds\":3600,"
                + "\"MaxWaitTimeInSeconds\":7200}")).maxRunSeconds());
        assertEquals(null, ours(event("\"StoppingCondition\":{\"MaxRuntimeInSeconds\":\"soon\"}")).maxRunSeconds());
        assertEquals(null, ours(event("\"SecondaryStatus\":\"Training\"")).maxRunSeconds());
    }

    @Test
    void epochMillisAsNumberOrStringAreTheSameInstant() {
        TrainingJobEvent asNumber = ours(event("\"SecondaryStatus\":\"Training\",\"LastModifiedTime\":1767225600123"));
        TrainingJobEvent asString = ours(event("\"SecondaryStatus\":\"Training\",\"LastModifiedTime\":\"1767225600123\""));
        TrainingJobEvent asFloat = ours(event("\"SecondaryStatus\":\"Training\",\"LastModifiedTime\":1.767225600123E12"));
        Instant expected = Instant.ofEpochMilli(1767225600123L);
        assertEquals(expected, asNumber.lastModifiedTime());
        assertEquals(expected, asString.lastModifiedTime());
        assertEquals(expected, asFloat.lastModifiedTime());
    }

    @Test
    void isoTimesAndMissingLastModifiedFallBackSensibly() {
        assertEquals(Instant.parse("2026-01-01T00:00:05.250Z"),
                ours(event("\"LastModifiedTime\":\"2026-01-01T00:00:05.250Z\"")).lastModifiedTime());
        // no LastModifiedTime: the event's own time
        TrainingJobEvent noTime = ours(event("\"FailureReason\":\"\""));
        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), noTime.lastModifiedTime());
        // no SecondaryStatus: the status stands in
        assertEquals("InProgress", noTime.secondaryStatus());
    }

    @Test
    void tagsAsListOrObject() {
        Map<String, String> fromList = ours(event("""
                "Tags":[{"Key":"sagebench:run-id","Value":"d-abc-r002"},{"Key":"sagebench:attempt","Value":"3"}],
                "LastModifiedTime":1767225600000""")).tags();
        Map<String, String> fromObject = ours(event("""
                "Tags":{"sagebench:run-id":"d-abc-r002","sagebench:attempt":"3"},"LastModifiedTime":1767225600000""")).tags();
        assertEquals(Map.of("sagebench:run-id", "d-abc-r002", "sagebench:attempt", "3"), fromList);
        assertEquals(fromList, fromObject);
        assertTrue(ours(event("\"Tags\":\"weird\",\"LastModifiedTime\":1")).tags().isEmpty());
    }

    @Test
    void failureReasonIsKept() {
        TrainingJobEvent e = ours(event("\"LastModifiedTime\":1767225600000,\"FailureReason\":\"ArchiveError\"")
                .replace("\"InProgress\"", "\"Failed\""));
        assertEquals(JobStatus.Failed, e.status());
        assertEquals("ArchiveError", e.failureReason());
    }

    @Test
    void foreignEventsAreDroppedNotDeadLettered() {
        assertInstanceOf(ParseOutcome.Foreign.class, parser.parse(DOC_SAMPLE.replace("\"aws.sagemaker\"", "\"aws.ec2\"")));
        assertInstanceOf(ParseOutcome.Foreign.class,
                parser.parse(DOC_SAMPLE.replace("SageMaker Training Job State Change", "SageMaker Endpoint State Change")));
        assertInstanceOf(ParseOutcome.Foreign.class,
                parser.parse(DOC_SAMPLE.replace("bench-d-0123456789ab-r001-a1", "huggingface-pytorch-training-1")));
        EventParser accountBound = new EventParser(new ObjectMapper(), "bench-", Optional.of("000000000000"));
        assertInstanceOf(ParseOutcome.Foreign.class, accountBound.parse(DOC_SAMPLE));
        assertInstanceOf(ParseOutcome.Ours.class, accountBound.parse(DOC_SAMPLE.replace("123456789012", "000000000000")));
    }

    @Test
    void unparseableMessagesSayWhy() {
        assertTrue(assertThrows(UnparseableEventException.class, () -> parser.parse("{not json")).getMessage()
                .startsWith("body is not JSON"));
        assertThrows(UnparseableEventException.class, () -> parser.parse(""));
        assertThrows(UnparseableEventException.class, () -> parser.parse("[1,2]"));
        assertThrows(UnparseableEventException.class, () -> parser.parse("{\"hello\":\"world\"}"));
        assertTrue(assertThrows(UnparseableEventException.class,
                () -> parser.parse(event("\"LastModifiedTime\":\"yesterday\""))).getMessage().contains("LastModifiedTime"));
        assertTrue(assertThrows(UnparseableEventException.class,
                () -> parser.parse(event("\"LastModifiedTime\":1").replace("\"InProgress\"", "\"Exploded\"")))
                .getMessage().contains("Exploded"));
        assertTrue(assertThrows(UnparseableEventException.class,
                () -> parser.parse(DOC_SAMPLE.replace("\"TrainingJobName\":\"bench-d-0123456789ab-r001-a1\",", "")))
                .getMessage().contains("TrainingJobName"));
    }
}
