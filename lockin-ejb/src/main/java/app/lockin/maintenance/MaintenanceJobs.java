package app.lockin.maintenance;

import java.time.Duration;
import java.util.Optional;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * The claim of a periodic job's run, by the database's clock (table
 * maintenance_jobs, function claim_due_job): of all the instances that tick,
 * one has each due run, the others find it claimed until the next interval.
 * The claim commits on its own, before the job's work: a run that fails is
 * not retried before its next interval, on any instance.
 */
@Stateless
public class MaintenanceJobs {

    @PersistenceContext(unitName = "lockin")
    EntityManager em;

    @Inject
    MaintenanceSchedule schedule;

    /** True when the schedule is on, the job last ran a whole interval ago (or never), and the caller now has this run. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public boolean claimDue(String job) {
        Optional<Duration> after = schedule.claimAfter();
        if (after.isEmpty()) {
            return false;
        }
        Object claimed = em.createNativeQuery("select claim_due_job(?1, make_interval(secs => ?2))")
                .setParameter(1, job)
                .setParameter(2, after.get().toMillis() / 1000.0)
                .getSingleResult();
        return Boolean.TRUE.equals(claimed);
    }
}
