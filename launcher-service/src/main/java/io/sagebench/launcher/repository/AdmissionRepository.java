package io.sagebench.launcher.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * The shared admission state of all launcher replicas: instances in use per type and the account's next free
 * CreateTrainingJob slot. Every read here takes a row lock, so concurrent replicas serialize on it.
 */
@ApplicationScoped
public class AdmissionRepository {
    @Inject
    EntityManager em;

    /** Instances of the type in use, with the usage row locked until the transaction ends. */
    public int lockUsage(String instanceType) {
        // Takes the row's exclusive lock at once; INSERT IGNORE would take a shared lock first and two replicas
        // upgrading their shared locks deadlock.
        em.createNativeQuery("INSERT INTO instance_usage (instance_type, in_use) VALUES (?1, 0) "
                        + "ON DUPLICATE KEY UPDATE in_use = in_use")
                .setParameter(1, instanceType).executeUpdate();
        Number inUse = (Number) em.createNativeQuery(
                        "SELECT in_use FROM instance_usage WHERE instance_type = ?1 FOR UPDATE")
                .setParameter(1, instanceType).getSingleResult();
        return inUse.intValue();
    }

    public void addUsage(String instanceType, int delta) {
        em.createNativeQuery("UPDATE instance_usage SET in_use = GREATEST(0, in_use + ?1) WHERE instance_type = ?2")
                .setParameter(1, delta).setParameter(2, instanceType).executeUpdate();
    }

    public int usage(String instanceType) {
        var rows = em.createNativeQuery("SELECT in_use FROM instance_usage WHERE instance_type = ?1")
                .setParameter(1, instanceType).getResultList();
        return rows.isEmpty() ? 0 : ((Number) rows.get(0)).intValue();
    }

    /**
     * The earliest start of the next CreateTrainingJob call (epoch ms on the database's clock), with the rate row locked
     * until the transaction ends. While a call is in flight it holds an in-flight marker (its slot + the call timeout),
     * so nobody else starts.
     */
    public long lockNextSlot() {
        Number next = (Number) em.createNativeQuery("SELECT next_slot_ms FROM launch_rate WHERE id = 1 FOR UPDATE")
                .getSingleResult();
        return next.longValue();
    }

    /**
     * The database's clock (epoch ms), the one clock every replica shares; read after the row lock is held so the
     * wait for the lock does not age it. UTC arithmetic, so no session time zone or DST fold is involved.
     */
    public long databaseNowMs() {
        Number micros = (Number) em.createNativeQuery(
                "SELECT TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', UTC_TIMESTAMP(6))").getSingleResult();
        return micros.longValue() / 1000;
    }

    public void takeSlot(long inFlightMarkerMs) {
        em.createNativeQuery("UPDATE launch_rate SET next_slot_ms = ?1, calls = calls + 1 WHERE id = 1")
                .setParameter(1, inFlightMarkerMs).executeUpdate();
    }

    /**
     * A call that started at {@code slotMs} finished now (database clock): the next may start at the later of
     * slot + spacing and now + interval - allowance (the request may have reached SageMaker as late as now). If our
     * in-flight marker was replaced (the call outlived its timeout and someone else went ahead), only ever move the
     * slot later.
     */
    public void callFinished(long inFlightMarkerMs, long slotMs, long spacingMs, long intervalMinusAllowanceMs) {
        String next = "GREATEST(?1, TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', UTC_TIMESTAMP(6)) DIV 1000 + ?2)";
        int updated = em.createNativeQuery("UPDATE launch_rate SET next_slot_ms = " + next
                        + " WHERE id = 1 AND next_slot_ms = ?3")
                .setParameter(1, slotMs + spacingMs).setParameter(2, intervalMinusAllowanceMs)
                .setParameter(3, inFlightMarkerMs).executeUpdate();
        if (updated == 0) {
            em.createNativeQuery("UPDATE launch_rate SET next_slot_ms = GREATEST(next_slot_ms, " + next + ") WHERE id = 1")
                    .setParameter(1, slotMs + spacingMs).setParameter(2, intervalMinusAllowanceMs).executeUpdate();
        }
    }

    /** Today on the database's clock (UTC), the day the spending ceilings count. */
    public java.time.LocalDate databaseToday() {
        Object today = em.createNativeQuery("SELECT UTC_DATE()").getSingleResult();
        return today instanceof java.sql.Date d ? d.toLocalDate() : java.time.LocalDate.parse(today.toString());
    }

    /** The quotes of every attempt admitted on {@code day}, all designers (or one, if {@code submittedBy} is set). */
    public java.math.BigDecimal spendOn(java.time.LocalDate day, String submittedBy) {
        var query = em.createNativeQuery("SELECT COALESCE(SUM(spend_usd), 0) FROM launch WHERE admitted_on = ?1"
                + (submittedBy == null ? "" : " AND submitted_by = ?2")).setParameter(1, day);
        if (submittedBy != null) {
            query.setParameter(2, submittedBy);
        }
        Object sum = query.getSingleResult();
        return sum instanceof java.math.BigDecimal d ? d : new java.math.BigDecimal(sum.toString());
    }

    public record Usage(String instanceType, int inUse) {
    }

    @SuppressWarnings("unchecked")
    public List<Usage> allUsage() {
        List<Object[]> rows = em.createNativeQuery(
                "SELECT instance_type, in_use FROM instance_usage ORDER BY instance_type").getResultList();
        return rows.stream().map(r -> new Usage((String) r[0], ((Number) r[1]).intValue())).toList();
    }
}
