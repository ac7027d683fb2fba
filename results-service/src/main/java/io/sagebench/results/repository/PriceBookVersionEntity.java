package io.sagebench.results.repository;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.time.LocalDate;

/** A price-book version refreshed from the AWS Price List API (the bundled price-book.json is the seed). */
@Entity
@Table(name = "price_book_version")
public class PriceBookVersionEntity extends PanacheEntityBase {
    @Id
    public String version;
    @Column(name = "effective_from")
    public LocalDate effectiveFrom;
    public String source;
    /** {"region": {"instanceType": usdPerHour}} as in price-book.json's "prices". */
    @Column(name = "prices_json")
    public String pricesJson;
    @Column(name = "created_at")
    public Instant createdAt;
}
