package app.lockin.sessions;

import java.util.logging.Logger;

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
 * holds the cap (sessions_runaway_cap, also for a pause or stop that comes
 * too late, see {@link RunawayCap}); its function pause_runaway_sessions()
 * applies it to the segments nobody closed.
 * <p>
 * The maintenance tick runs it on every tick, on every instance, unclaimed:
 * a claim would be one more statement to save one, and two instances running
 * it at once do no harm (the second finds the segment paused, by the first or
 * by its host, and skips it). When the guard runs only decides how soon a
 * runaway shows as paused (within a tick); the pause itself is always at
 * start + the maximum.
 */
@Stateless
public class RunawayGuard {

    private static final Logger LOG = Logger.getLogger(RunawayGuard.class.getName());

    @PersistenceContext(unitName = "lockin")
    EntityManager em;

    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry metrics;

    /** Runs in a transaction of its own; returns how many sessions it paused. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public int pauseRunaways() {
        int paused = ((Number) em.createNativeQuery("select pause_runaway_sessions()").getSingleResult()).intValue();
        metrics.counter("lockin_sessions_autopaused_total").inc(paused);
        if (paused > 0) {
            LOG.info(() -> "Paused " + paused + " runaway session(s)");
        }
        return paused;
    }
}
