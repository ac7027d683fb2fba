package io.sagebench.results.repository;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** The launcher's verdict on one ended attempt (RunAttemptEnded): is the run relaunched, or was this its last? */
@Entity
@Table(name = "attempt_verdict")
public class AttemptVerdictEntity extends PanacheEntityBase {
    @Id
    @Column(name = "training_job_name")
    public String trainingJobName;
    @Column(name = "run_id")
    public String runId;
    @Column(name = "design_id")
    public String designId;
    public int attempt;
    public String status;
    public boolean relaunch;
    @Column(name = "next_attempt")
    public Integer nextAttempt;
    /** Set when the launcher withdrew the relaunch it announced (cancelled, launch-failed); relaunch is then false. */
    @Column(name = "relaunch_called_off")
    public String relaunchCalledOff;
    @Column(name = "received_at")
    public Instant receivedAt;
}
