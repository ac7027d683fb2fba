package io.sagebench.monitor.repository;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/** An EventBridge event id or Kafka record id already handled, recorded in the transaction of its effect. */
@Entity
@Table(name = "processed_event")
public class ProcessedEvent extends PanacheEntityBase {

    @Id
    @Column(name = "event_id")
    public String eventId;
    @Column(name = "processed_at")
    public Instant processedAt;

    public static boolean seen(String eventId) {
        return eventId != null && findById(eventId) != null;
    }

    /** Which of these ids were already handled. */
    public static Set<String> seenAmong(Collection<String> eventIds) {
        if (eventIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(getEntityManager()
                .createQuery("select p.eventId from ProcessedEvent p where p.eventId in :ids", String.class)
                .setParameter("ids", eventIds).getResultList());
    }

    /** Remembers many ids in one statement. */
    public static void rememberAll(Collection<String> eventIds, Instant at) {
        if (eventIds.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder("INSERT IGNORE INTO processed_event (event_id, processed_at) VALUES ");
        int i = 0;
        for (String ignored : eventIds) {
            sql.append(i == 0 ? "" : ",").append("(?").append(2 * i + 1).append(",?").append(2 * i + 2).append(')');
            i++;
        }
        var insert = getEntityManager().createNativeQuery(sql.toString());
        i = 0;
        for (String id : eventIds) {
            insert.setParameter(2 * i + 1, id);
            insert.setParameter(2 * i + 2, at);
            i++;
        }
        insert.executeUpdate();
    }

    public static void remember(String eventId, Instant at) {
        ProcessedEvent e = new ProcessedEvent();
        e.eventId = eventId;
        e.processedAt = at;
        e.persist();
    }
}
