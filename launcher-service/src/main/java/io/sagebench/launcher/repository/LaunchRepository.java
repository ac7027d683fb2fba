package io.sagebench.launcher.repository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.sagebench.launcher.domain.LaunchState;

@ApplicationScoped
public class LaunchRepository implements PanacheRepositoryBase<LaunchEntity, String> {
    /** jakarta.persistence.lock.timeout value meaning SKIP LOCKED, so replicas never wait on each other's rows. */
    static final int SKIP_LOCKED = -2;
    private static final List<LaunchState> DISPATCHABLE =
            List.of(LaunchState.PENDING, LaunchState.DEFERRED, LaunchState.LAUNCHING, LaunchState.STOPPING);

    /** The oldest due row that needs an AWS call, locked for this transaction; rows other replicas hold are skipped. */
    public Optional<LaunchEntity> lockNextDue(Instant now) {
        return getEntityManager().createQuery("""
                        from LaunchEntity l where l.nextAttemptAt <= :now and l.state in :states
                        order by l.nextAttemptAt, l.createdAt""", LaunchEntity.class)
                .setParameter("now", now)
                .setParameter("states", DISPATCHABLE)
                .setMaxResults(1)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .setHint("jakarta.persistence.lock.timeout", SKIP_LOCKED)
                .getResultStream().findFirst();
    }

    /**
     * A bill came in below the quotes it replaces: runs waiting for room under a spending ceiling check again now
     * rather than at their next re-check. All get the same due time, so {@link #lockNextDue} takes them in arrival
     * order (the oldest waiter gets the room first). Rows another transaction holds are skipped, as in
     * {@link #wakeQuotaDeferred}: a re-check already under way may still take the room.
     */
    public int wakeCeilingDeferred(Instant now) {
        List<LaunchEntity> waiting = getEntityManager().createQuery("""
                        from LaunchEntity l where l.state = :state
                        and l.deferReason in ('designer-ceiling', 'account-ceiling')""",
                        LaunchEntity.class)
                .setParameter("state", LaunchState.DEFERRED)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .setHint("jakarta.persistence.lock.timeout", SKIP_LOCKED)
                .getResultList();
        waiting.forEach(l -> l.nextAttemptAt = now);
        return waiting.size();
    }

    /** Runs whose job is created and not yet ended (LAUNCHED, or STOPPING on its way down). */
    public long countRunning() {
        return count("state in ?1", List.of(LaunchState.LAUNCHED, LaunchState.STOPPING));
    }

    public Optional<LaunchEntity> lock(String runId) {
        return findByIdOptional(runId, LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * Quota came free for a type: its quota-deferred runs become due now instead of at their next re-check. Rows another
     * transaction holds are skipped (whoever holds them sees the freed quota anyway), which also rules out a deadlock
     * with a dispatcher that holds such a row and waits for the usage row this caller holds.
     */
    public int wakeQuotaDeferred(String instanceType, Instant now) {
        List<LaunchEntity> waiting = getEntityManager().createQuery("""
                        from LaunchEntity l where l.state = :state and l.instanceType = :type
                        and l.deferReason = 'quota' and l.nextAttemptAt > :now""", LaunchEntity.class)
                .setParameter("state", LaunchState.DEFERRED)
                .setParameter("type", instanceType)
                .setParameter("now", now)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .setHint("jakarta.persistence.lock.timeout", SKIP_LOCKED)
                .getResultList();
        waiting.forEach(l -> l.nextAttemptAt = now);
        return waiting.size();
    }
}
