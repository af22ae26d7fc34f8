package app.lockin.maintenance;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import app.lockin.limits.FairUse;

/**
 * Deletes the fair-use buckets that have been full again for a minute
 * ({@link FairUse}): a full bucket counts the same as none, so its row can
 * go, and the table keeps only the buckets still refilling. On the
 * maintenance schedule, claimed by one instance of the cluster: one delete an
 * interval is all the cluster needs.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class FairUseBucketPurge {

    static final String JOB = "purge-fair-use-buckets";

    @EJB
    MaintenanceJobs jobs;

    @EJB
    FairUse fairUse;

    /** Purges when the run is due and this instance has it; each batch commits on its own. */
    public void runIfDue() {
        if (jobs.claimDue(JOB)) {
            fairUse.purgeExpired();
        }
    }
}
