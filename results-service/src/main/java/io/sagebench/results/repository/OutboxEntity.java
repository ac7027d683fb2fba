package io.sagebench.results.repository;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.Session;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Calendar;
import java.util.List;
import java.util.TimeZone;
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

    /** A record to enqueue with {@link #enqueueAll}. */
    public record Row(String topic, String key, String eventType, String payload, String traceparent) {
    }

    /**
     * Enqueues many records with one JDBC batch, in list order (ids ascend with it). Persisting them one by one costs
     * a round trip each: an IDENTITY id makes Hibernate insert at once, outside its statement batches.
     */
    public static void enqueueAll(List<Row> rows) {
        if (rows.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        Calendar utc = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
        getEntityManager().unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO outbox (topic, message_key, "
                    + "event_type, event_id, payload, created_at, traceparent) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                for (Row row : rows) {
                    insert.setString(1, row.topic());
                    insert.setString(2, row.key());
                    insert.setString(3, row.eventType());
                    insert.setString(4, UUID.randomUUID().toString());
                    insert.setString(5, row.payload());
                    insert.setTimestamp(6, Timestamp.from(now), utc); // as Hibernate binds an Instant
                    insert.setString(7, row.traceparent());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        });
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
