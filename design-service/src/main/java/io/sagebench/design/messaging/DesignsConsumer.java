package io.sagebench.design.messaging;

import io.sagebench.design.domain.DesignService;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * bench.designs → the design service. Bad designs and unparseable records are rejected and dead-lettered inside the
 * service's transaction (through the outbox); anything unexpected fails the record, and the channel's
 * dead-letter-queue strategy moves it to bench.dlq.design-service so the next record is still processed.
 */
@ApplicationScoped
public class DesignsConsumer {

    @Inject
    DesignService service;

    @Incoming("designs")
    @Blocking
    public void onRecord(ConsumerRecord<String, String> record) {
        service.handle(toIncoming(record));
    }

    static IncomingRecord toIncoming(ConsumerRecord<String, String> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header h : record.headers()) {
            headers.put(h.key(), h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
        }
        return new IncomingRecord(record.topic(), record.partition(), record.offset(), record.key(), record.value(),
                headers);
    }
}
