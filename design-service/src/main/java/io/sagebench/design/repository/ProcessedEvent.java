package io.sagebench.design.repository;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** An incoming event already handled: recorded in the same transaction as its effect, so redelivery is a no-op. */
@Entity
@Table(name = "processed_event")
public class ProcessedEvent extends PanacheEntityBase {

    @Id
    @Column(name = "event_id")
    public String eventId;
    public String outcome;
    @Column(name = "processed_at")
    public Instant processedAt;

    public static ProcessedEvent of(String eventId, String outcome) {
        ProcessedEvent e = new ProcessedEvent();
        e.eventId = eventId;
        e.outcome = outcome;
        e.processedAt = Instant.now();
        return e;
    }
}
