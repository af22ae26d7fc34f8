package app.lockin.maintenance;

import java.time.Duration;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * The cluster's periodic jobs, due by the database's clock (table
 * maintenance_jobs, function claim_due_job): of all the instances that tick,
 * one claims each due run.
 */
@Stateless
public class MaintenanceJobs {

    @PersistenceContext(unitName = "lockin")
    EntityManager em;

    /** True when the job last ran at least {@code every} ago (or never), and the caller now has this run. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public boolean claimDue(String job, Duration every) {
        Object claimed = em.createNativeQuery("select claim_due_job(?1, make_interval(secs => ?2))")
                .setParameter(1, job)
                .setParameter(2, every.toMillis() / 1000.0)
                .getSingleResult();
        return Boolean.TRUE.equals(claimed);
    }
}
