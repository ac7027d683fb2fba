package io.sagebench.results.repository;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** A design as results-service knows it: its size from DesignAccepted, and when it completed. */
@Entity
@Table(name = "design")
public class DesignEntity extends PanacheEntityBase {
    @Id
    @Column(name = "design_id")
    public String designId;
    public String name;
    @Column(name = "run_count")
    public Integer runCount;
    @Column(name = "run_ids")
    public String runIds;
    @Column(name = "accepted_at")
    public Instant acceptedAt;
    @Column(name = "completed_at")
    public Instant completedAt;
    /** Runs design-service reused from earlier designs instead of running them again (not in runCount). */
    @Column(name = "reused_runs")
    public int reusedRuns;

    /**
     * The design row, created empty if needed, locked for the rest of the transaction: every writer that may complete
     * a design goes through here, so two of them can never both publish DesignCompleted.
     */
    public static DesignEntity lockOrCreate(String designId) {
        // ON DUPLICATE KEY UPDATE takes the row's exclusive lock at once (INSERT IGNORE would take a shared one, and
        // two transactions upgrading shared locks deadlock).
        getEntityManager().createNativeQuery(
                        "INSERT INTO design (design_id) VALUES (?1) ON DUPLICATE KEY UPDATE design_id = design_id")
                .setParameter(1, designId).executeUpdate();
        return getEntityManager().find(DesignEntity.class, designId, LockModeType.PESSIMISTIC_WRITE);
    }

    public List<String> runIdList() {
        return runIds == null || runIds.isBlank() ? List.of() : Arrays.asList(runIds.split(","));
    }
}
