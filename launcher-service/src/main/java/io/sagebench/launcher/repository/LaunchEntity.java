package io.sagebench.launcher.repository;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.sagebench.launcher.domain.LaunchState;

@Entity
@Table(name = "launch")
public class LaunchEntity extends PanacheEntityBase {
    @Id
    @Column(name = "run_id")
    public String runId;
    @Column(name = "design_id")
    public String designId;
    @Column(name = "cell_id")
    public String cellId;
    @Enumerated(EnumType.STRING)
    public LaunchState state;
    public int attempt;
    @Column(name = "training_job_name")
    public String trainingJobName;
    @Column(name = "training_job_arn")
    public String trainingJobArn;
    @Column(name = "instance_type")
    public String instanceType;
    @Column(name = "instance_count")
    public Integer instanceCount;
    @Column(name = "plan_json")
    public String planJson;
    @Column(name = "holds_quota")
    public boolean holdsQuota;
    @Column(name = "cancel_requested")
    public boolean cancelRequested;
    @Column(name = "defer_reason")
    public String deferReason;
    @Column(name = "defer_count")
    public int deferCount;
    @Column(name = "retry_count")
    public int retryCount;
    @Column(name = "failure_class")
    public String failureClass;
    @Column(name = "last_error")
    public String lastError;
    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
    @Column(name = "launched_at")
    public Instant launchedAt;
    /** W3C traceparent of the RunPlanned record; the run's later events continue that trace. */
    public String traceparent;
    /** RunPlanned.submittedBy, or {@code unknown}: whose daily ceiling the run counts against. */
    @Column(name = "submitted_by")
    public String submittedBy;
    /** The quoted cost of one attempt (RunPlanned.quote.usd, else the price book's worst case). */
    @Column(name = "quoted_usd")
    public BigDecimal quotedUsd;
    /** What the run counts against the ceilings of {@link #admittedOn}: the quote of each attempt admitted. */
    @Column(name = "spend_usd")
    public BigDecimal spendUsd = BigDecimal.ZERO;
    @Column(name = "admitted_on")
    public LocalDate admittedOn;
    /** RunResult.costUsd, the billed cost of the whole run, once results-service priced it. */
    @Column(name = "billed_usd")
    public BigDecimal billedUsd;
    /** The last attempt whose quote is in {@link #spendUsd}. */
    @Column(name = "charged_attempt")
    public int chargedAttempt;

    public void setError(String error) {
        this.lastError = error == null ? null : error.substring(0, Math.min(error.length(), 2000));
    }
}
