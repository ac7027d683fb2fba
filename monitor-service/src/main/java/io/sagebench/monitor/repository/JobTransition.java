package io.sagebench.monitor.repository;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
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

    public static List<JobTransition> ofJob(String jobName) {
        return list("jobName = ?1 order by id", jobName);
    }
}
