package app.lockin.maintenance;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import app.lockin.idempotency.IdempotencyKeys;

/**
 * Deletes the idempotency keys older than their time to live ({@link
 * IdempotencyKeys#TTL}): a request that comes with such a key claims it
 * afresh anyway, so the rows only take room. On the maintenance schedule,
 * claimed by one instance of the cluster: one delete an interval is all the
 * cluster needs.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class IdempotencyKeyPurge {

    static final String JOB = "purge-idempotency-keys";

    @EJB
    MaintenanceJobs jobs;

    @EJB
    IdempotencyKeys idempotencyKeys;

    /** Purges when the run is due and this instance has it; the delete commits on its own. */
    public void runIfDue() {
        if (jobs.claimDue(JOB)) {
            idempotencyKeys.purgeExpired();
        }
    }
}
