package app.lockin.maintenance;

import java.util.logging.Logger;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

/**
 * The archival on the maintenance schedule: when it is due, one instance of
 * the cluster claims the run and archives the expired groups ({@link
 * Archival}, the same work as the API's on-demand run). Claimed, because
 * one run an interval is what the cluster needs: archive_expired_groups'
 * advisory lock would turn another instance's run away with nothing done,
 * and one after it would find nothing left to do.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ScheduledArchival {

    static final String JOB = "archive-expired-groups";

    private static final Logger LOG = Logger.getLogger(ScheduledArchival.class.getName());

    @EJB
    MaintenanceJobs jobs;

    @EJB
    Archival archival;

    /** Archives when the run is due and this instance has it; the claim and the archival commit apart. */
    public void runIfDue() {
        if (!jobs.claimDue(JOB)) {
            return;
        }
        Archival.Run run = archival.archiveExpiredGroups();
        if (run.archived() > 0) {
            LOG.info(() -> "Archived " + run.archived() + " expired group(s)");
        }
    }
}
