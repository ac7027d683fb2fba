package io.sagebench.design.messaging;

import io.sagebench.design.config.DesignConfig;
import io.sagebench.design.domain.DesignService;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.PostConstruct;
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
 * service's transaction (through the outbox). An unexpected failure goes to {@link RecordTriage}: retried, then
 * dead-lettered only if the database works; otherwise (or while shutting down) it propagates and the channel's
 * {@code failure-strategy=fail} stops without committing the offset, so the record is redelivered after a restart and
 * a valid design is never dead-lettered for an infrastructure failure.
 */
@ApplicationScoped
public class DesignsConsumer {

    @Inject
    DesignService service;
    @Inject
    DesignConfig config;
    @Inject
    ShutdownSignal shutdown;

    RecordTriage triage;

    @PostConstruct
    void init() {
        triage = new RecordTriage(config.consumerAttempts(), config.consumerRetryBackoff(), shutdown::shuttingDown,
                service::databaseAvailable, service::deadLetterUnprocessable);
    }

    @Incoming("designs")
    @Blocking
    public void onRecord(ConsumerRecord<String, String> record) {
        IncomingRecord incoming = toIncoming(record);
        triage.process(incoming, () -> service.handle(incoming));
    }

    /** The key of the last record whose attempt failed and was retried (tests observe a transient failure). */
    public String lastRetriedKey() {
        return triage.lastRetriedKey();
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
