package app.lockin.progress;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.Resource;
import jakarta.ejb.Asynchronous;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Singleton;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import app.lockin.sessions.TimelineSettings;

/**
 * Keeps the boards of a group's final periods (database function
 * seal_group_history, table period_boards), so that history pages read them
 * instead of computing them again. A page that computed a final period asks
 * for it; the sealing runs in the background in a transaction of its own, one
 * at a time per group on this instance (the database's lock orders it with
 * other instances and with the changes that forget sealed boards).
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class HistorySeals {

    private static final Logger LOG = Logger.getLogger(HistorySeals.class.getName());

    @PersistenceContext(unitName = "lockin")
    EntityManager em;

    @Inject
    TimelineSettings timeline;

    @Resource
    SessionContext context;

    private final Set<UUID> sealing = ConcurrentHashMap.newKeySet();

    /** Seals the group's final periods soon, unless that is already under way here. */
    public void request(UUID groupId) {
        if (sealing.add(groupId)) {
            try {
                context.getBusinessObject(HistorySeals.class).seal(groupId);
            } catch (RuntimeException e) {
                sealing.remove(groupId);
                throw e;
            }
        }
    }

    /** Seals the group's final periods not sealed yet (a failure only leaves them computed). */
    @Asynchronous
    public void seal(UUID groupId) {
        try {
            Number sealed = (Number) em.createNativeQuery("select seal_group_history(?1, make_interval(secs => ?2))")
                    .setParameter(1, groupId)
                    .setParameter(2, (double) timeline.offlineGrace().toSeconds())
                    .getSingleResult();
            LOG.fine(() -> "Sealed " + sealed + " periods of group " + groupId);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Sealing the history of group " + groupId + " failed; its pages stay computed", e);
        } finally {
            sealing.remove(groupId);
        }
    }
}
