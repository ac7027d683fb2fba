package io.sagebench.launcher.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sagebench.launcher.app.RunPlanReader;
import io.sagebench.launcher.domain.RunPlans;
import io.sagebench.launcher.client.TrainingJobRequestFactory;

/**
 * Golden-file tests of the JSON body the unmodified SDK v2 client puts on the wire for our request, compared with
 * (a) our expected file and (b) the HuggingFace estimator example body from the facts file.
 */
class CreateTrainingJobWireTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private JsonNode wireBodyFor(Map<String, Object> run) throws Exception {
        return wireBodyFor(run, TRACEPARENT);
    }

    private JsonNode wireBodyFor(Map<String, Object> run, String traceparent) throws Exception {
        var factory = new TrainingJobRequestFactory(RunPlans.settings());
        var request = factory.build(RunPlanReader.read(JSON.writeValueAsString(run)), 1, traceparent);
        try (var stub = new StubSageMaker(); var client = stub.client()) {
            stub.answer(200, "{\"TrainingJobArn\":\"arn:aws:sagemaker:us-east-1:123456789012:training-job/x\"}");
            client.createTrainingJob(request);
            assertEquals(1, stub.requests().size());
            assertEquals("SageMaker.CreateTrainingJob", stub.requests().get(0).target());
            return JSON.readTree(stub.requests().get(0).body());
        }
    }

    private static JsonNode resource(String path) throws IOException {
        try (InputStream in = CreateTrainingJobWireTest.class.getResourceAsStream(path)) {
            return JSON.readTree(in);
        }
    }

    @Test
    void wireBodyMatchesGoldenFile() throws Exception {
        JsonNode actual = wireBodyFor(RunPlans.p4dSpot("d-0123456789ab", 1));
        JsonNode expected = resource("/golden/create-training-job-p4d-spot-smddp.json");
        assertEquals(expected, actual, () -> "wire body differs from golden file:\n" + actual.toPrettyString());
    }

    @Test
    void aMissingOrMalformedTraceparentIsNoTag() throws Exception {
        for (String traceparent : new String[] {null, "", "00-not-a-trace-01", "00-" + "A".repeat(32) + "-00f067aa0ba902b7-01"}) {
            JsonNode tags = wireBodyFor(RunPlans.p4dSpot("d-0123456789ab", 1), traceparent).get("Tags");
            assertEquals(4, tags.size(), "tags for " + traceparent + ": " + tags);
            tags.forEach(t -> assertFalse(t.get("Key").asText().equals("sagebench:traceparent"), tags.toString()));
        }
    }

    @Test
    void wireBodyHasEveryFieldOfTheEstimatorExample() throws Exception {
        JsonNode actual = wireBodyFor(RunPlans.p4dSpot("d-0123456789ab", 1));
        JsonNode example = resource("/golden/facts-example-create-training-job.json");
        assertFieldsPresent("$", example, actual);

        // Values that do not depend on names, account or bucket must be the estimator's own.
        var exampleHp = example.get("HyperParameters");
        var actualHp = actual.get("HyperParameters");
        for (String k : new String[] {"epochs", "model_name_or_path", "sagemaker_distributed_dataparallel_enabled",
                "sagemaker_instance_type", "sagemaker_distributed_dataparallel_custom_mpi_options", "sagemaker_program",
                "sagemaker_container_log_level", "sagemaker_region"}) {
            assertEquals(exampleHp.get(k), actualHp.get(k), k);
        }
        var exampleAlgo = example.get("AlgorithmSpecification");
        var actualAlgo = actual.get("AlgorithmSpecification");
        assertEquals(exampleAlgo.get("TrainingImage"), actualAlgo.get("TrainingImage"));
        assertEquals(exampleAlgo.get("TrainingInputMode"), actualAlgo.get("TrainingInputMode"));
        assertEquals(exampleAlgo.get("EnableSageMakerMetricsTimeSeries"), actualAlgo.get("EnableSageMakerMetricsTimeSeries"));
        for (JsonNode metric : exampleAlgo.get("MetricDefinitions")) {
            boolean found = false;
            for (JsonNode ours : actualAlgo.get("MetricDefinitions")) {
                found |= ours.equals(metric);
            }
            assertTrue(found, "metric definition of the estimator example missing: " + metric);
        }
        assertEquals(example.get("StoppingCondition"), actual.get("StoppingCondition"));
        assertEquals(example.get("EnableManagedSpotTraining"), actual.get("EnableManagedSpotTraining"));
        assertEquals(example.at("/CheckpointConfig/LocalPath"), actual.at("/CheckpointConfig/LocalPath"));
        assertEquals(example.at("/ResourceConfig/InstanceType"), actual.at("/ResourceConfig/InstanceType"));
        assertEquals(example.at("/ResourceConfig/InstanceCount"), actual.at("/ResourceConfig/InstanceCount"));
    }

    @Test
    void volumeSizeFromTheRunArrivesOnTheWire() throws Exception {
        JsonNode actual = wireBodyFor(RunPlans.p3Baseline("d-0123456789ab", 2, 777));
        assertEquals(777, actual.at("/ResourceConfig/VolumeSizeInGB").asInt());
        assertEquals("ml.p3.2xlarge", actual.at("/ResourceConfig/InstanceType").asText());
        assertEquals(1, actual.at("/ResourceConfig/InstanceCount").asInt());
    }

    @Test
    void onDemandRunSendsNoSpotFieldsAndNoDistribution() throws Exception {
        JsonNode actual = wireBodyFor(RunPlans.p3Baseline("d-0123456789ab", 2, 30));
        assertFalse(actual.has("EnableManagedSpotTraining"));
        assertFalse(actual.has("CheckpointConfig"));
        assertFalse(actual.at("/StoppingCondition").has("MaxWaitTimeInSeconds"));
        assertEquals(172800, actual.at("/StoppingCondition/MaxRuntimeInSeconds").asInt());
        JsonNode hp = actual.get("HyperParameters");
        assertFalse(hp.has("sagemaker_distributed_dataparallel_enabled"));
        assertFalse(hp.has("sagemaker_instance_type"));
        assertEquals("\"distilbert-base-uncased\"", hp.get("model_name_or_path").asText());
        assertEquals("32", hp.get("per_device_train_batch_size").asText());
        assertEquals("84375", hp.get("max_steps").asText());
        assertEquals("30", hp.get("epochs").asText());
        assertEquals("100000", hp.get("dataset_size").asText());
    }

    /** Every object key of the example must exist in ours (arrays: the first element's shape). */
    private static void assertFieldsPresent(String path, JsonNode example, JsonNode actual) {
        if (example.isObject()) {
            assertTrue(actual != null && actual.isObject(), path + " should be an object in our body");
            if (path.equals("$.HyperParameters")) {
                // Only the estimator's own keys; the example's user hyperparameters differ from ours on purpose.
                example.fieldNames().forEachRemaining(k -> {
                    if (k.startsWith("sagemaker_") || k.equals("epochs") || k.equals("model_name_or_path")) {
                        assertTrue(actual.has(k), path + "." + k + " missing");
                    }
                });
                return;
            }
            for (Iterator<String> it = example.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (path.equals("$") && k.equals("Tags")) {
                    continue; // the example's tag is illustrative; ours are checked by the golden file
                }
                assertTrue(actual.has(k), path + "." + k + " missing");
                assertFieldsPresent(path + "." + k, example.get(k), actual.get(k));
            }
        } else if (example.isArray() && example.size() > 0) {
            assertTrue(actual != null && actual.isArray() && actual.size() > 0, path + " should be a non-empty array");
            assertFieldsPresent(path + "[0]", example.get(0), actual.get(0));
        } else {
            assertEquals(example.getNodeType(), actual.getNodeType(), path + " has another JSON type");
        }
    }
}
