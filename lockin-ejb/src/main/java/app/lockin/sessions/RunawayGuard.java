package app.lockin.sessions;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

/**
 * The runaway guard: a segment open longer than {@code LOCKIN_MAX_SEGMENT}
 * is paused at exactly its start + that maximum, its logs closed there, and
 * the host told (a {@code session_autopaused} notification). The database
 * function pause_runaway_sessions() does it; the archival timer calls it on
 * every tick, on every instance (it is idempotent and skips what a host
 * pauses meanwhile).
 */
@Stateless
public class RunawayGuard {

    @PersistenceContext(unitName = "lockin")
    EntityManager em;

    @Inject
    TimelineSettings settings;

    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry metrics;

    /** Runs in a transaction of its own; returns how many sessions it paused. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public int pauseRunaways() {
        int paused = ((Number) em.createNativeQuery("select pause_runaway_sessions(make_interval(secs => ?1))")
                .setParameter(1, settings.maxSegment().toMillis() / 1000.0)
                .getSingleResult()).intValue();
        metrics.counter("lockin_sessions_autopaused_total").inc(paused);
        return paused;
    }
}
