package app.lockin.sessions;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Lock;
import jakarta.ejb.LockType;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

import app.lockin.database.DatabaseGauges;

/** The application metric {@code lockin_sessions_running}: focus sessions running now, across all instances. */
@Singleton
@Startup
@DependsOn("Migrations")
public class SessionGauges {

    @PersistenceContext(unitName = "lockin")
    EntityManager em;

    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry metrics;

    @Resource
    SessionContext context;

    @PostConstruct
    void register() {
        // through the container, so each scrape's query runs as a business method
        metrics.gauge("lockin_sessions_running", context.getBusinessObject(SessionGauges.class),
                DatabaseGauges.orUnknown(SessionGauges::running));
    }

    /** Read when the metrics are scraped (a count on the partial index sessions_running_idx). */
    @Lock(LockType.READ)
    public long running() {
        return ((Number) em.createNativeQuery("select count(*) from sessions where status = 'running'")
                .getSingleResult()).longValue();
    }
}
