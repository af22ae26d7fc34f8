package app.lockin.maintenance;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import app.lockin.notifications.OutboxStore;

/**
 * Forgets outbox items that are over: a week after they were delivered or
 * died, except each webhook's last 100 (its deliveries list). On the
 * maintenance schedule, claimed by one instance of the cluster.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class OutboxPurge {

    static final String JOB = "purge-outbox";

    @EJB
    MaintenanceJobs jobs;

    @EJB
    OutboxStore outbox;

    /** Purges when the run is due and this instance has it; the delete commits on its own. */
    public void runIfDue() {
        if (jobs.claimDue(JOB)) {
            outbox.purge();
        }
    }
}
