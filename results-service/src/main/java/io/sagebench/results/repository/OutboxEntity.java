package io.sagebench.results.repository;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A record to publish, written in the same transaction as the state it announces. */
@Entity
@Table(name = "outbox")
public class OutboxEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String topic;
    @Column(name = "message_key")
    public String messageKey;
    @Column(name = "event_type")
    public String eventType;
    @Column(name = "event_id")
    public String eventId;
    public String payload;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "sent_at")
    public Instant sentAt;
    /** W3C traceparent the relay sends as the record's header (null: the record starts no trace). */
    public String traceparent;

    public static OutboxEntity enqueue(String topic, String key, String eventType, String payload) {
        return enqueue(topic, key, eventType, payload, null);
    }

    public static OutboxEntity enqueue(String topic, String key, String eventType, String payload, String traceparent) {
        OutboxEntity e = new OutboxEntity();
        e.traceparent = traceparent;
        e.topic = topic;
        e.messageKey = key;
        e.eventType = eventType;
        e.eventId = UUID.randomUUID().toString();
        e.payload = payload;
        e.createdAt = Instant.now();
        e.persist();
        return e;
    }

    /** Unsent rows in id order, locked; rows another relay holds are skipped, not waited for. */
    @SuppressWarnings("unchecked")
    public static List<OutboxEntity> lockUnsent(int limit) {
        return getEntityManager().createNativeQuery(
                        "SELECT * FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT ?1 FOR UPDATE SKIP LOCKED",
                        OutboxEntity.class)
                .setParameter(1, limit).getResultList();
    }

    /** Marks rows sent in one statement (the rows stay locked by the caller's transaction until it commits). */
    public static void markSent(List<Long> ids, Instant sentAt) {
        if (!ids.isEmpty()) {
            update("sentAt = ?1 where id in ?2", sentAt, ids);
        }
    }
}
