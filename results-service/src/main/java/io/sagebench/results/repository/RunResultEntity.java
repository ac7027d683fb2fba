package io.sagebench.results.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.sagebench.results.domain.RunRecord;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One priced record per run. */
@Entity
@Table(name = "run_result")
public class RunResultEntity extends PanacheEntityBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Id
    @Column(name = "run_id")
    public String runId;
    @Column(name = "design_id")
    public String designId;
    @Column(name = "cell_id")
    public String cellId;
    public int sequence;
    public int replicate;
    public int attempt;
    @Column(name = "training_job_name")
    public String trainingJobName;
    public String status;
    @Column(name = "failure_reason")
    public String failureReason;
    @Column(name = "instance_type")
    public String instanceType;
    @Column(name = "instance_count")
    public int instanceCount;
    @Column(name = "gpus_per_instance")
    public int gpusPerInstance;
    @Column(name = "total_gpus")
    public int totalGpus;
    public String distribution;
    @Column(name = "dataset_size")
    public int datasetSize;
    @Column(name = "per_device_batch")
    public int perDeviceBatchSize;
    @Column(name = "global_batch")
    public int globalBatchSize;
    @Column(name = "learning_rate")
    public double learningRate;
    public int steps;
    public double epochs;
    @Column(name = "training_seconds")
    public long trainingSeconds;
    @Column(name = "billable_seconds")
    public long billableSeconds;
    @Column(name = "startup_seconds")
    public Double startupSeconds;
    @Column(name = "training_phase_seconds")
    public Double trainingPhaseSeconds;
    @Column(name = "upload_seconds")
    public Double uploadSeconds;
    @Column(name = "samples_per_second")
    public Double samplesPerSecond;
    @Column(name = "spot_savings_percent")
    public Double spotSavingsPercent;
    @Column(name = "hourly_price_usd")
    public BigDecimal hourlyPriceUsd;
    @Column(name = "price_book_version")
    public String priceBookVersion;
    @Column(name = "cost_usd")
    public BigDecimal costUsd;
    public Double f1;
    @Column(name = "metrics_json")
    public String metricsJson;
    @Column(name = "finished_at")
    public Instant finishedAt;
    @Column(name = "stored_at")
    public Instant storedAt;
    /** Attempts charged to the run; cost_usd includes the earlier ones' failed_attempts_cost_usd. */
    public int attempts;
    @Column(name = "failed_attempts_billable_seconds")
    public long failedAttemptsBillableSeconds;
    @Column(name = "failed_attempts_cost_usd")
    public BigDecimal failedAttemptsCostUsd;

    public static RunResultEntity from(RunRecord r) {
        RunResultEntity e = new RunResultEntity();
        e.runId = r.runId();
        e.designId = r.designId();
        e.cellId = r.cellId();
        e.sequence = r.sequence();
        e.replicate = r.replicate();
        e.attempt = r.attempt();
        e.trainingJobName = r.trainingJobName();
        e.status = r.status();
        e.failureReason = r.failureReason();
        e.instanceType = r.instanceType();
        e.instanceCount = r.instanceCount();
        e.gpusPerInstance = r.gpusPerInstance();
        e.totalGpus = r.totalGpus();
        e.distribution = r.distribution();
        e.datasetSize = r.datasetSize();
        e.perDeviceBatchSize = r.perDeviceBatchSize();
        e.globalBatchSize = r.globalBatchSize();
        e.learningRate = r.learningRate();
        e.steps = r.steps();
        e.epochs = r.epochs();
        e.trainingSeconds = r.trainingSeconds();
        e.billableSeconds = r.billableSeconds();
        e.startupSeconds = r.startupSeconds();
        e.trainingPhaseSeconds = r.trainingPhaseSeconds();
        e.uploadSeconds = r.uploadSeconds();
        e.samplesPerSecond = r.samplesPerSecond();
        e.spotSavingsPercent = r.spotSavingsPercent();
        e.hourlyPriceUsd = r.hourlyPriceUsd();
        e.priceBookVersion = r.priceBookVersion();
        e.costUsd = r.costUsd();
        e.f1 = r.f1();
        try {
            e.metricsJson = JSON.writeValueAsString(r.metrics());
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
        e.finishedAt = r.finishedAt();
        e.storedAt = Instant.now();
        e.attempts = r.attempts();
        e.failedAttemptsBillableSeconds = r.failedAttemptsBillableSeconds();
        e.failedAttemptsCostUsd = r.failedAttemptsCostUsd();
        return e;
    }

    public RunRecord toDomain() {
        Map<String, Double> metrics;
        try {
            metrics = metricsJson == null ? Map.of() : JSON.readValue(metricsJson, new TypeReference<Map<String, Double>>() { });
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
        return new RunRecord(runId, designId, cellId, sequence, replicate, attempt, trainingJobName, status, failureReason,
                instanceType, instanceCount, gpusPerInstance, totalGpus, distribution, datasetSize, perDeviceBatchSize,
                globalBatchSize, learningRate, steps, epochs, trainingSeconds, billableSeconds, startupSeconds,
                trainingPhaseSeconds, uploadSeconds, samplesPerSecond, spotSavingsPercent, hourlyPriceUsd,
                priceBookVersion, costUsd, f1, metrics, finishedAt, attempts, failedAttemptsBillableSeconds,
                failedAttemptsCostUsd == null ? BigDecimal.ZERO : failedAttemptsCostUsd);
    }

    public static List<RunResultEntity> ofDesign(String designId) {
        return list("designId = ?1 order by sequence", designId);
    }
}
