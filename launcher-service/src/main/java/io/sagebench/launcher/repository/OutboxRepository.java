package io.sagebench.launcher.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
public class OutboxRepository implements PanacheRepositoryBase<OutboxEntity, Long> {

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
