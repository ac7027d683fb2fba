package io.sagebench.launcher.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
public class OutboxRepository implements PanacheRepositoryBase<OutboxEntity, Long> {

    public record Backlog(long rows, double oldestAgeSeconds) {
    }

    /** Unsent rows and the age of the oldest (0 when none), on the database's clock. */
    public Backlog backlog() {
        Object[] row = (Object[]) getEntityManager().createNativeQuery("""
                        SELECT COUNT(*), COALESCE(TIMESTAMPDIFF(MICROSECOND, MIN(created_at), UTC_TIMESTAMP(6)), 0)
                        FROM outbox WHERE sent_at IS NULL""").getSingleResult();
        return new Backlog(((Number) row[0]).longValue(), Math.max(0, ((Number) row[1]).doubleValue() / 1e6));
    }

    /** Unsent rows in id order, locked; rows another replica's relay holds are skipped, not waited for. */
    public List<OutboxEntity> lockUnsent(int max) {
        return getEntityManager().createQuery("from OutboxEntity o where o.sentAt is null order by o.id",
                        OutboxEntity.class)
                .setMaxResults(max)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .setHint("jakarta.persistence.lock.timeout", LaunchRepository.SKIP_LOCKED)
                .getResultList();
    }
}
