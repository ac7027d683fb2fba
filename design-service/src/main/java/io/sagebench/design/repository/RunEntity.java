package io.sagebench.design.repository;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.sagebench.design.domain.PlannedRun;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Set;

@Entity
@Table(name = "run")
public class RunEntity extends PanacheEntityBase {

    public static final String PLANNED = "PLANNED";
    public static final String CANCEL_REQUESTED = "CANCEL_REQUESTED";
    /** Not planned again: an earlier design's run measured the same cell replicate to completion. */
    public static final String REUSED = "REUSED";
    public static final String COMPLETED = "COMPLETED";
    /** Terminal states reported by results-service (RunResult.status). */
    public static final Set<String> FINISHED = Set.of("COMPLETED", "FAILED", "STOPPED", "REUSED");

    @Id
    @Column(name = "run_id")
    public String runId;
    @Column(name = "design_id")
    public String designId;
    @Column(name = "cell_id")
    public String cellId;
    @Column(name = "sequence_no")
    public int sequence;
    public int replicate;
    public String status;
    @Column(name = "reused_from")
    public String reusedFrom;
    @Column(name = "instance_type")
    public String instanceType;
    @Column(name = "instance_count")
    public int instanceCount;
    @Column(name = "dataset_size")
    public long datasetSize;
    @Column(name = "quote_seconds")
    public long quoteSeconds;
    @Column(name = "quote_usd")
    public BigDecimal quoteUsd;
    @Column(name = "updated_at")
    public Instant updatedAt;

    public static List<RunEntity> ofDesign(String designId) {
        return list("designId = ?1 order by sequence", designId);
    }

    /** A planned run; {@code reusedFrom} is the earlier run it reuses, or null when it is to be run. */
    public static RunEntity of(PlannedRun r, String reusedFrom, Instant now) {
        RunEntity run = new RunEntity();
        run.runId = r.runId();
        run.designId = r.designId();
        run.cellId = r.cellId();
        run.sequence = r.sequence();
        run.replicate = r.replicate();
        run.status = reusedFrom != null ? REUSED : PLANNED;
        run.reusedFrom = reusedFrom;
        run.instanceType = r.instanceType();
        run.instanceCount = r.instanceCount();
        run.datasetSize = r.datasetSize();
        run.quoteSeconds = r.quote().seconds();
        run.quoteUsd = BigDecimal.valueOf(r.quote().usd());
        run.updatedAt = now;
        return run;
    }

    public boolean finished() {
        return FINISHED.contains(status);
    }
}
