package io.sagebench.results.repository;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.sagebench.results.domain.AttemptCost;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** One ended, priced attempt of a run. */
@Entity
@Table(name = "run_attempt")
public class RunAttemptEntity extends PanacheEntityBase {
    @Id
    @Column(name = "training_job_name")
    public String trainingJobName;
    @Column(name = "run_id")
    public String runId;
    @Column(name = "design_id")
    public String designId;
    public int attempt;
    public String status;
    @Column(name = "failure_reason")
    public String failureReason;
    @Column(name = "training_seconds")
    public long trainingSeconds;
    @Column(name = "billable_seconds")
    public long billableSeconds;
    @Column(name = "hourly_price_usd")
    public BigDecimal hourlyPriceUsd;
    @Column(name = "price_book_version")
    public String priceBookVersion;
    @Column(name = "cost_usd")
    public BigDecimal costUsd;
    @Column(name = "ended_at")
    public Instant endedAt;
    @Column(name = "stored_at")
    public Instant storedAt;

    public static RunAttemptEntity from(String runId, String designId, AttemptCost a) {
        RunAttemptEntity e = new RunAttemptEntity();
        e.trainingJobName = a.trainingJobName();
        e.runId = runId;
        e.designId = designId;
        e.attempt = a.attempt();
        e.status = a.status();
        e.failureReason = a.failureReason();
        e.trainingSeconds = a.trainingSeconds();
        e.billableSeconds = a.billableSeconds();
        e.hourlyPriceUsd = a.hourlyPriceUsd();
        e.priceBookVersion = a.priceBookVersion();
        e.costUsd = a.costUsd();
        e.endedAt = a.endedAt();
        e.storedAt = Instant.now();
        return e;
    }

    public AttemptCost toDomain() {
        return new AttemptCost(trainingJobName, attempt, status, failureReason, trainingSeconds, billableSeconds,
                hourlyPriceUsd, priceBookVersion, costUsd, endedAt);
    }

    public static List<RunAttemptEntity> ofRun(String runId) {
        return list("runId = ?1 order by attempt", runId);
    }
}
