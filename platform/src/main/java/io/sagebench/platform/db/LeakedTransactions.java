package io.sagebench.platform.db;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionManager;
import org.jboss.logging.Logger;

/**
 * A transaction whose connection died under it (database restart, KILL) can stay associated with the worker thread
 * after the failure: XAResource.start failed, the rollback failed too. The next {@code @Transactional} call on that
 * thread then joins the dead transaction instead of starting its own, and its work is silently never committed
 * ("Exception in association of connection to existing transaction"). Code that knows it runs outside any
 * transaction (a consumer handler, a retry of a failed transaction) discards such a leftover first.
 */
public final class LeakedTransactions {

    private static final Logger LOG = Logger.getLogger(LeakedTransactions.class);

    private LeakedTransactions() {
    }

    /** Whether a transaction is associated with this thread (false outside Quarkus, e.g. in unit tests). */
    public static boolean present() {
        TransactionManager tm = manager();
        try {
            return tm != null && tm.getStatus() != Status.STATUS_NO_TRANSACTION;
        } catch (Exception e) {
            return false;
        }
    }

    /** Rolls back (or at least disassociates) a transaction left on this thread by an earlier failure. */
    public static void discard() {
        TransactionManager tm = manager();
        if (tm == null) {
            return;
        }
        try {
            int status = tm.getStatus();
            if (status == Status.STATUS_NO_TRANSACTION) {
                return;
            }
            LOG.warnf("a transaction left by an earlier failure is still associated with this thread (status %d): "
                    + "discarding it", status);
            try {
                tm.rollback();
            } catch (Exception rollbackFailed) {
                tm.suspend(); // its connection is gone: disassociating it is all that is left to do
            }
        } catch (Exception e) {
            LOG.warnf("could not discard the leftover transaction: %s", e.toString());
        }
    }

    private static TransactionManager manager() {
        ArcContainer container = Arc.container();
        if (container == null || !container.isRunning()) {
            return null;
        }
        return container.instance(TransactionManager.class).get();
    }
}
