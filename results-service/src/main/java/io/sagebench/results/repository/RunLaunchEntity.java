package io.sagebench.results.repository;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;

/** The latest launch state of a run, from bench.launches. */
@Entity
@Table(name = "run_launch")
public class RunLaunchEntity extends PanacheEntityBase {
    public static final String DEFERRED = "deferred";
    public static final String LAUNCHED = "launched";
    public static final String LAUNCH_FAILED = "launch_failed";

    @Id
    @Column(name = "run_id")
    public String runId;
    @Column(name = "design_id")
    public String designId;
    public String state;
    public Integer attempt;
    @Column(name = "training_job_name")
    public String trainingJobName;
    /** Ever launched: stays true if a later attempt is deferred or fails. */
    public boolean launched;
    @Column(name = "failure_class")
    public String failureClass;
    public Boolean retryable;
    public String detail;
    @Column(name = "updated_at")
    public Instant updatedAt;
    /** When the run's first job was launched (the overdue gauge's clock). */
    @Column(name = "launched_at")
    public Instant launchedAt;

    public boolean failedForGood() {
        return LAUNCH_FAILED.equals(state) && Boolean.FALSE.equals(retryable);
    }

    /**
     * The run ended with this launch failure. Not so for a relaunch (attempt 2 on) that failed: the launcher then calls
     * the relaunch off, and the run ends with the RunResult of its previous attempt's job.
     */
    public boolean endedAtLaunch() {
        return failedForGood() && (attempt == null || attempt < 2);
    }

    public static List<RunLaunchEntity> ofDesign(String designId) {
        return list("designId", designId);
    }
}
