package app.lockin.sessions;

import java.util.UUID;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import app.lockin.groups.Access;
import app.lockin.groups.Membership;
import app.lockin.rules.Forbidden;
import app.lockin.rules.NotFound;

/**
 * Moderation of a group's time: its owner and admins void a member's log in
 * one of the group's sessions, giving a reason, or restore it. The database
 * function void_time_log does it (db/migration/R__16_moderation.sql): the
 * log stays in its person's record and counts nowhere in the group, only
 * while its period is not final, and the person is told.
 */
@Stateless
public class LogModeration {

    private static final String SESSION_NOT_FOUND = "session not found";

    @PersistenceContext(unitName = "lockin")
    EntityManager em;

    @Inject
    TimelineSettings settings;

    /** Voids the log: 404 unless the caller is a member of the session's group, 403 unless its owner or an admin. */
    public TimeLogResponse voidLog(UUID caller, UUID sessionId, UUID logId, String reason) {
        return change(caller, sessionId, logId, reason);
    }

    /** Restores a voided log: it counts for the group again. */
    public TimeLogResponse restore(UUID caller, UUID sessionId, UUID logId) {
        return change(caller, sessionId, logId, null);
    }

    private TimeLogResponse change(UUID caller, UUID sessionId, UUID logId, String reason) {
        FocusSession session = em.find(FocusSession.class, sessionId);
        if (session == null || session.groupId() == null) {
            throw new NotFound(SESSION_NOT_FOUND);
        }
        Membership me = Access.find(em, session.groupId(), caller).orElseThrow(() -> new NotFound(SESSION_NOT_FOUND));
        if (!me.managesMembers()) {
            throw new Forbidden("Only the group's owner and admins void or restore a log.");
        }
        TimeLog log = (TimeLog) em.createNativeQuery("select * from void_time_log(?1, ?2, ?3, ?4, make_interval(secs => ?5))",
                        TimeLog.class)
                .setParameter(1, sessionId)
                .setParameter(2, logId)
                .setParameter(3, caller)
                .setParameter(4, reason)
                .setParameter(5, (double) settings.offlineGrace().toSeconds())
                .getSingleResult();
        em.refresh(log);
        return TimeLogResponse.of(log, sessionId);
    }
}
