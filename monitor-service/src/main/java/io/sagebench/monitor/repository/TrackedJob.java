package io.sagebench.monitor.repository;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.sagebench.monitor.domain.JobSnapshot;
import io.sagebench.monitor.domain.JobStatus;
import io.sagebench.monitor.domain.RunIdentity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;

/** One training job the monitor knows of, from its events or from bench.launches. */
@Entity
@Table(name = "tracked_job")
public class TrackedJob extends PanacheEntityBase {

    @Id
    @Column(name = "job_name")
    public String jobName;
    @Column(name = "job_arn")
    public String jobArn;
    @Column(name = "run_id")
    public String runId;
    @Column(name = "design_id")
    public String designId;
    public Integer attempt;
    /** Last published status; null until the first state is published. */
    public String status;
    @Column(name = "secondary_status")
    public String secondaryStatus;
    @Column(name = "last_modified_time")
    public Instant lastModifiedTime;
    @Column(name = "failure_reason")
    public String failureReason;
    public boolean terminal;
    @Column(name = "launched_at")
    public Instant launchedAt;
    /** When the job last made progress as far as we know (accepted state, or launch): the reconciliation silence clock. */
    @Column(name = "last_heard_at")
    public Instant lastHeardAt;
    /** Past this, a non-terminal job is checked with DescribeTrainingJob even if it is not silent. */
    @Column(name = "expected_end_at")
    public Instant expectedEndAt;
    @Column(name = "last_checked_at")
    public Instant lastCheckedAt;
    /** The job's cell (12 hex), from its tags or its RunLaunched; null when unknown. */
    @Column(name = "cell_id")
    public String cellId;
    /** The traceparent of the RunLaunched that announced the job (the design's trace); null until it is learned. */
    public String traceparent;
    @Version
    public long version;

    public JobSnapshot snapshot() {
        return status == null ? null
                : new JobSnapshot(JobStatus.valueOf(status), secondaryStatus, lastModifiedTime);
    }

    public RunIdentity identity() {
        return new RunIdentity(runId, designId, attempt);
    }
}
