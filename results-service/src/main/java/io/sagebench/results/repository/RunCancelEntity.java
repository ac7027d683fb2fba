package io.sagebench.results.repository;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;

/** A run someone asked to stop (RunCancelRequested on bench.runs). */
@Entity
@Table(name = "run_cancel")
public class RunCancelEntity extends PanacheEntityBase {
    @Id
    @Column(name = "run_id")
    public String runId;
    @Column(name = "design_id")
    public String designId;
    public String reason;
    @Column(name = "requested_at")
    public Instant requestedAt;

    public static List<RunCancelEntity> ofDesign(String designId) {
        return list("designId", designId);
    }
}
