package io.sagebench.results.repository;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.sagebench.results.domain.RunPlan;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;

/** RunPlanned: the run's full configuration. */
@Entity
@Table(name = "run_plan")
public class RunPlanEntity extends PanacheEntityBase {
    @Id
    @Column(name = "run_id")
    public String runId;
    @Column(name = "design_id")
    public String designId;
    @Column(name = "cell_id")
    public String cellId;
    public int sequence;
    public int replicate;
    @Column(name = "model_hub_id")
    public String modelHubId;
    @Column(name = "model_parameters")
    public Long modelParameters;
    @Column(name = "dataset_hub_id")
    public String datasetHubId;
    @Column(name = "dataset_size")
    public int datasetSize;
    @Column(name = "instance_type")
    public String instanceType;
    @Column(name = "instance_count")
    public int instanceCount;
    @Column(name = "gpus_per_instance")
    public int gpusPerInstance;
    @Column(name = "total_gpus")
    public int totalGpus;
    public String distribution;
    @Column(name = "per_device_batch")
    public int perDeviceBatchSize;
    @Column(name = "global_batch")
    public int globalBatchSize;
    @Column(name = "learning_rate")
    public double learningRate;
    public int steps;
    public double epochs;
    @Column(name = "samples_seen")
    public long samplesSeen;
    @Column(name = "volume_size_gb")
    public int volumeSizeGb;
    public boolean spot;
    public String region;
    @Column(name = "quote_seconds")
    public Double quoteSeconds;
    @Column(name = "quote_usd")
    public Double quoteUsd;
    @Column(name = "quote_hourly_price")
    public Double quoteHourlyPrice;
    @Column(name = "quote_price_book")
    public String quotePriceBook;
    @Column(name = "planned_at")
    public Instant plannedAt;
    /** W3C traceparent of the RunPlanned record: the design's trace, continued by this run's RunResult. */
    public String traceparent;

    public static RunPlanEntity from(RunPlan p) {
        RunPlanEntity e = new RunPlanEntity();
        e.runId = p.runId();
        e.designId = p.designId();
        e.cellId = p.cellId();
        e.sequence = p.sequence();
        e.replicate = p.replicate();
        e.modelHubId = p.modelHubId();
        e.modelParameters = p.modelParameters();
        e.datasetHubId = p.datasetHubId();
        e.datasetSize = p.datasetSize();
        e.instanceType = p.instanceType();
        e.instanceCount = p.instanceCount();
        e.gpusPerInstance = p.gpusPerInstance();
        e.totalGpus = p.totalGpus();
        e.distribution = p.distribution();
        e.perDeviceBatchSize = p.perDeviceBatchSize();
        e.globalBatchSize = p.globalBatchSize();
        e.learningRate = p.learningRate();
        e.steps = p.steps();
        e.epochs = p.epochs();
        e.samplesSeen = p.samplesSeen();
        e.volumeSizeGb = p.volumeSizeGb();
        e.spot = p.spot();
        e.region = p.region();
        e.plannedAt = Instant.now();
        return e;
    }

    public RunPlan toDomain() {
        return new RunPlan(runId, designId, cellId, sequence, replicate, modelHubId, modelParameters, datasetHubId,
                datasetSize, instanceType, instanceCount, gpusPerInstance, totalGpus, distribution, perDeviceBatchSize,
                globalBatchSize, learningRate, steps, epochs, samplesSeen, volumeSizeGb, spot, region);
    }

    /** The traceparent of the design's first planned run that carried one, or null. */
    public static String firstTraceparent(String designId) {
        return getEntityManager().createQuery("select p.traceparent from RunPlanEntity p where p.designId = ?1"
                        + " and p.traceparent is not null order by p.sequence", String.class)
                .setParameter(1, designId).setMaxResults(1).getResultStream().findFirst().orElse(null);
    }

    public static List<RunPlanEntity> ofDesign(String designId) {
        return list("designId = ?1 order by sequence", designId);
    }
}
