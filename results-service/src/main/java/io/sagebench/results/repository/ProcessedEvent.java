package io.sagebench.results.repository;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/** An event already applied; written in the same transaction as its effect, so a redelivery is a no-op. */
@Entity
@Table(name = "processed_event")
public class ProcessedEvent extends PanacheEntityBase {
    @Id
    @Column(name = "event_id")
    public String eventId;
    public String topic;
    @Column(name = "processed_at")
    public Instant processedAt;

    /** Records the event; false when it was processed before. */
    public static boolean markProcessed(String eventId, String topic) {
        if (findById(eventId) != null) {
            return false;
        }
        record(eventId, topic);
        return true;
    }

    /** The ids among {@code eventIds} processed before, in one query (a batch of records asks once, not per record). */
    public static Set<String> processedAmong(Collection<String> eventIds) {
        if (eventIds.isEmpty()) {
            return new HashSet<>();
        }
        return new HashSet<>(getEntityManager()
                .createQuery("select e.eventId from ProcessedEvent e where e.eventId in :ids", String.class)
                .setParameter("ids", eventIds).getResultList());
    }

    /** Records an event known not to be processed yet. */
    public static void record(String eventId, String topic) {
        ProcessedEvent e = new ProcessedEvent();
        e.eventId = eventId;
        e.topic = topic;
        e.processedAt = Instant.now();
        e.persist();
    }
}
