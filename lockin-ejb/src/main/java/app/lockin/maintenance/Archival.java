package app.lockin.maintenance;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

/**
 * Archives the groups whose end has passed (stopping and logging their
 * sessions) and starts pending groups whose start has come: the database
 * function archive_expired_groups(). With several instances on one database,
 * one run at a time does the work (an advisory lock); the others return 0.
 */
@Stateless
public class Archival {

    @PersistenceContext(unitName = "lockin")
    EntityManager em;

    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry metrics;

    /** Runs in a transaction of its own; returns how many groups it archived. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public int archiveExpiredGroups() {
        int archived = ((Number) em.createNativeQuery("select archive_expired_groups()").getSingleResult()).intValue();
        metrics.counter("lockin_archival_runs_total").inc();
        metrics.counter("lockin_groups_archived_total").inc(archived);
        return archived;
    }
}
