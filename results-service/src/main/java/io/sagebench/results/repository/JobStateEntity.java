package io.sagebench.results.repository;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;

/** The latest state of a training job, from bench.job-states. */
@Entity
@Table(name = "job_state")
public class JobStateEntity extends PanacheEntityBase {
    @Id
    @Column(name = "training_job_name")
    public String trainingJobName;
    @Column(name = "run_id")
    public String runId;
    @Column(name = "design_id")
    public String designId;
    public int attempt;
    public String status;
    @Column(name = "secondary_status")
    public String secondaryStatus;
    @Column(name = "last_modified")
    public Instant lastModified;
    public boolean terminal;
    @Column(name = "failure_reason")
    public String failureReason;
    @Column(name = "describe_tries")
    public int describeTries;
    @Column(name = "last_error")
    public String lastError;
    /** Not before this time will the sweep describe the job again (null: at once). */
    @Column(name = "next_try_at")
    public Instant nextTryAt;

    public static List<JobStateEntity> ofDesign(String designId) {
        return list("designId", designId);
    }

    /**
     * Terminal jobs of planned runs that have no result yet and still need work, newest attempt first: an attempt not
     * priced yet, or one known to be its run's last (Completed, Stopped, or the launcher said no relaunch). A priced
     * attempt that was relaunched, or awaits the launcher's verdict, has nothing to do.
     */
    @SuppressWarnings("unchecked")
    public static List<String> awaitingResult(int maxDescribeTries, int limit) {
        return getEntityManager().createNativeQuery("""
                        SELECT j.training_job_name FROM job_state j
                        JOIN run_plan p ON p.run_id = j.run_id
                        LEFT JOIN run_result r ON r.run_id = j.run_id
                        LEFT JOIN run_attempt a ON a.training_job_name = j.training_job_name
                        LEFT JOIN attempt_verdict v ON v.training_job_name = j.training_job_name
                        WHERE j.terminal = TRUE AND r.run_id IS NULL AND j.describe_tries < ?1
                          AND (j.next_try_at IS NULL OR j.next_try_at <= ?2)
                          AND (a.training_job_name IS NULL OR j.status IN ('Completed', 'Stopped') OR v.relaunch = FALSE)
                        ORDER BY j.attempt DESC, j.training_job_name""")
                .setParameter(1, maxDescribeTries).setParameter(2, Instant.now()).setMaxResults(limit).getResultList();
    }

    /** The terminal jobs of one run (normally one). */
    public static List<JobStateEntity> terminalOfRun(String runId) {
        return list("runId = ?1 and terminal = true order by attempt desc", runId);
    }
}
