package io.sagebench.monitor.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebench.contracts.ids.Ids;
import io.sagebench.monitor.app.EventParser;
import io.sagebench.monitor.domain.LaunchedJob;
import io.sagebench.monitor.domain.RunIdentity;

/** What a RunLaunched record says about its job; ids that break the contract's patterns are read as unknown. */
final class RunLaunchedReader {

    private final ObjectMapper mapper;

    RunLaunchedReader(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** @throws IllegalArgumentException for a record that is not a usable RunLaunched (it is dead-lettered) */
    LaunchedJob read(String value) {
        if (value == null) {
            throw new IllegalArgumentException("RunLaunched record has no value");
        }
        JsonNode launch;
        try {
            launch = mapper.readTree(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("RunLaunched is not JSON: " + e.getOriginalMessage());
        }
        if (launch == null || !launch.isObject()) {
            throw new IllegalArgumentException("RunLaunched is not a JSON object");
        }
        String jobName = text(launch, "trainingJobName");
        if (jobName == null || jobName.isBlank()) {
            throw new IllegalArgumentException("RunLaunched has no trainingJobName");
        }
        Integer attempt = launch.hasNonNull("attempt") && launch.get("attempt").canConvertToInt()
                ? launch.get("attempt").asInt() : null;
        String cellId = text(launch, "cellId");
        return new LaunchedJob(jobName, new RunIdentity(text(launch, "runId"), text(launch, "designId"), attempt),
                Ids.isCellId(cellId) ? cellId : null, text(launch, "trainingJobArn"),
                EventParser.instantOrNull(launch.get("launchedAt")));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || !v.isValueNode() ? null : v.asText();
    }
}
