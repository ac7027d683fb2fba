package io.sagebench.launcher.app;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sagebench.contracts.Topics;
import io.sagebench.launcher.repository.OutboxEntity;

/** Writes an event into the outbox inside the caller's transaction; the relay sends it after commit. */
@ApplicationScoped
public class EventOutbox {
    @Inject
    ObjectMapper mapper;

    /** @param traceparent the trace the record continues (see {@link RunSpans#continuing}); null for none */
    @Transactional(Transactional.TxType.MANDATORY)
    public void publish(String topic, String key, Object event, String traceparent) {
        OutboxEntity row = new OutboxEntity();
        row.eventId = UUID.randomUUID().toString();
        row.eventType = event.getClass().getSimpleName();
        row.topic = topic;
        row.key = key;
        try {
            row.payload = mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + row.eventType, e);
        }
        row.traceparent = traceparent;
        row.createdAt = Instant.now();
        row.persist();
    }

    /** A run's event on bench.launches, in the run's trace ({@code runTraceparent}: the one stored with the launch). */
    public void launches(String runId, Object event, String runTraceparent) {
        publish(Topics.LAUNCHES, runId, event, RunSpans.continuing(runTraceparent));
    }
}
