package io.sagebench.design.repository;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.sagebench.design.domain.Plan;

import java.math.BigDecimal;
import java.time.Instant;

@Entity
@Table(name = "design")
public class DesignEntity extends PanacheEntityBase {

    public static final String ACCEPTED = "ACCEPTED";
    public static final String CANCELLED = "CANCELLED";

    @Id
    @Column(name = "design_id")
    public String designId;
    public String name;
    @Column(name = "submitted_by")
    public String submittedBy;
    public String status;
    @Column(name = "content_json")
    public String contentJson;
    @Column(name = "content_sha256")
    public String contentSha256;
    @Column(name = "random_seed")
    public long randomSeed;
    @Column(name = "run_count")
    public int runCount;
    @Column(name = "reused_runs")
    public int reusedRuns;
    @Column(name = "total_usd")
    public BigDecimal totalUsd;
    @Column(name = "saved_usd")
    public BigDecimal savedUsd;
    @Column(name = "total_seconds")
    public double totalSeconds;
    @Column(name = "budget_usd")
    public BigDecimal budgetUsd;
    @Column(name = "price_book_version")
    public String priceBookVersion;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;

    /** A newly accepted design: its plan, content hash and quote. */
    public static DesignEntity of(Plan plan, String contentSha256, Instant now) {
        DesignEntity d = new DesignEntity();
        d.designId = plan.designId();
        d.name = plan.design().name();
        d.submittedBy = plan.design().submittedBy();
        d.status = ACCEPTED;
        d.contentJson = plan.content();
        d.contentSha256 = contentSha256;
        d.randomSeed = plan.randomSeed();
        d.runCount = plan.runsToPlan().size();
        d.reusedRuns = plan.reusedFrom().size();
        d.totalUsd = BigDecimal.valueOf(plan.quote().totalUsd());
        d.savedUsd = BigDecimal.valueOf(plan.quote().savedUsd());
        d.totalSeconds = plan.quote().totalSeconds();
        d.budgetUsd = BigDecimal.valueOf(plan.quote().budgetUsd());
        d.priceBookVersion = plan.quote().priceBookVersion();
        d.createdAt = now;
        d.updatedAt = now;
        return d;
    }

    /** The stored quote, as the plan had it. */
    public Plan.DesignQuote quote() {
        return new Plan.DesignQuote(totalUsd.doubleValue(), totalSeconds, budgetUsd.doubleValue(), priceBookVersion,
                reusedRuns, savedUsd.doubleValue());
    }
}
