package io.sagebench.design.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebench.design.domain.DesignService;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * bench.results (tolerant reader: only runId and status): a run with a result has finished, so a later cancel
 * leaves it alone. Setting a status is idempotent, so redelivery needs no processed-event record.
 */
@ApplicationScoped
public class ResultsConsumer {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Inject
    DesignService service;

    @Incoming("results")
    @Blocking
    public void onResult(ConsumerRecord<String, String> record) throws Exception {
        if (record.value() == null) {
            return; // a tombstone on the compacted topic
        }
        JsonNode result = MAPPER.readTree(record.value());
        service.runFinished(result.path("runId").asText(null), result.path("status").asText(null));
    }
}
