package io.sagebench.monitor.repository;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.Session;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** One state published on bench.job-states. */
@Entity
@Table(name = "job_transition")
public class JobTransition extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "job_name")
    public String jobName;
    public String status;
    @Column(name = "secondary_status")
    public String secondaryStatus;
    @Column(name = "last_modified_time")
    public Instant lastModifiedTime;
    @Column(name = "failure_reason")
    public String failureReason;
    public String source;
    @Column(name = "source_event_id")
    public String sourceEventId;
    @Column(name = "event_id")
    public String eventId;
    @Column(name = "recorded_at")
    public Instant recordedAt;

    /** Inserts many transitions as one JDBC batch (IDENTITY ids keep Hibernate from batching persist()). */
    public static void insertAll(List<JobTransition> transitions) {
        if (transitions.isEmpty()) {
            return;
        }
        getEntityManager().unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement ps = connection.prepareStatement("INSERT INTO job_transition (job_name, status,"
                    + " secondary_status, last_modified_time, failure_reason, source, source_event_id, event_id, recorded_at)"
                    + " VALUES (?,?,?,?,?,?,?,?,?)")) {
                for (JobTransition t : transitions) {
                    ps.setString(1, t.jobName);
                    ps.setString(2, t.status);
                    ps.setString(3, t.secondaryStatus);
                    ps.setObject(4, utc(t.lastModifiedTime));
                    ps.setString(5, t.failureReason);
                    ps.setString(6, t.source);
                    ps.setString(7, t.sourceEventId);
                    ps.setString(8, t.eventId);
                    ps.setObject(9, utc(t.recordedAt));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        });
    }

    /** DATETIME columns hold UTC (quarkus.hibernate-orm.jdbc.timezone=UTC); raw JDBC must write them the same way. */
    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    public static List<JobTransition> ofJob(String jobName) {
        return list("jobName = ?1 order by id", jobName);
    }
}
