package app.lockin.sessions;

import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * Tells the database, at each start, the runaway cap this deployment is
 * configured with ({@code LOCKIN_MAX_SEGMENT}): the database holds the rule
 * (no segment longer than that, however it closes; sessions_runaway_cap), so
 * it must know the figure. Every instance of a deployment runs with the same
 * settings; the last one started is the one the database keeps.
 */
@Singleton
@Startup
@DependsOn("Migrations")
public class RunawayCap {

    private static final Logger LOG = Logger.getLogger(RunawayCap.class.getName());

    @PersistenceContext(unitName = "lockin")
    EntityManager em;

    @Inject
    TimelineSettings settings;

    @PostConstruct
    void publish() {
        em.createNativeQuery("update timeline_settings set max_segment = make_interval(secs => ?1)")
                .setParameter(1, settings.maxSegment().toMillis() / 1000.0)
                .executeUpdate();
        LOG.info(() -> "Runaway cap: segments close after at most " + settings.maxSegment());
    }
}
