package io.sagebench.launcher.repository;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
public class ProcessedEventRepository implements PanacheRepositoryBase<ProcessedEventEntity, String> {

    /** Records the event as processed; false if it already was (a redelivery). Call inside the effect's transaction. */
    public boolean markProcessed(String eventId, String eventType) {
        int inserted = getEntityManager().createNativeQuery(
                        "INSERT IGNORE INTO processed_event (event_id, event_type, processed_at) VALUES (?1, ?2, UTC_TIMESTAMP(6))")
                .setParameter(1, eventId).setParameter(2, eventType).executeUpdate();
        return inserted == 1;
    }
}
