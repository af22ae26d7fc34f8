package app.lockin.sessions;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;

import app.lockin.groups.Group;
import app.lockin.groups.Access;
import app.lockin.rules.Conflict;
import app.lockin.rules.FieldError;
import app.lockin.rules.Forbidden;
import app.lockin.rules.Invalid;
import app.lockin.rules.NotFound;

/**
 * Focus sessions: creating them, their state machine, and the time logged in
 * them. A state change locks the session's row first, so two clients racing
 * on one session are served one after the other: one succeeds, the other
 * finds the new state (409). Times come from the database's clock, the one
 * its rules about logs check against.
 */
@Stateless
public class FocusSessions {

    private static final String SESSION_NOT_FOUND = "session not found";
    private static final Duration LONGEST_MANUAL_LOG = Duration.ofHours(24);

    @PersistenceContext(unitName = "lockin")
    EntityManager em;

    /** A new scheduled session hosted by the caller; with a group, the caller must be a member of an active group. */
    public SessionView create(UUID caller, UUID groupId) {
        if (groupId != null) {
            Group group = Access.member(em, groupId, caller).group();
            group.requireWritable();
            if (group.startAt().isAfter(now())) {
                throw new Conflict("The group has not started yet: sessions begin at its start_at.");
            }
        }
        Instant now = now();
        FocusSession session = FocusSession.schedule(caller, groupId);
        em.persist(session);
        em.persist(Participant.host(session, now));
        em.flush();
        em.refresh(session);
        return new SessionView(session, 0);
    }

    public SessionView start(UUID caller, UUID sessionId) {
        FocusSession session = hosted(caller, sessionId);
        session.start(now());
        em.flush();
        return view(session);
    }

    public SessionView pause(UUID caller, UUID sessionId) {
        FocusSession session = hosted(caller, sessionId);
        Instant now = now();
        logSegment(session, session.pause(now), now);
        return view(session);
    }

    public SessionView resume(UUID caller, UUID sessionId) {
        FocusSession session = hosted(caller, sessionId);
        session.resume(now());
        em.flush();
        return view(session);
    }

    public SessionView stop(UUID caller, UUID sessionId) {
        FocusSession session = hosted(caller, sessionId);
        Instant now = now();
        logSegment(session, session.stop(now), now);
        return view(session);
    }

    /** A time log the caller measured offline, for their own part in the session. */
    public TimeLog log(UUID caller, UUID sessionId, Instant startedAt, Instant endedAt) {
        FocusSession session = visible(caller, sessionId, LockModeType.PESSIMISTIC_READ);
        Participant participant = participant(session, caller)
                .orElseThrow(() -> new Forbidden("Only the session's participants log time in it."));
        if (!session.hasStarted()) {
            throw new Conflict("The session is " + session.status().name().toLowerCase(java.util.Locale.ROOT)
                    + ": it has no time to log yet.");
        }
        Instant now = now();
        List<FieldError> errors = new ArrayList<>();
        if (!endedAt.isAfter(startedAt)) {
            errors.add(new FieldError("ended_at", "must be after started_at"));
        } else if (Duration.between(startedAt, endedAt).compareTo(LONGEST_MANUAL_LOG) > 0) {
            errors.add(new FieldError("ended_at", "a log lasts at most 24 hours"));
        }
        if (endedAt.isAfter(now)) {
            errors.add(new FieldError("ended_at", "cannot be in the future"));
        }
        if (startedAt.isBefore(session.startedAt())) {
            errors.add(new FieldError("started_at", "cannot be before the session started (" + session.startedAt() + ")"));
        }
        if (session.endedAt() != null && endedAt.isAfter(session.endedAt())) {
            errors.add(new FieldError("ended_at", "cannot be after the session ended (" + session.endedAt() + ")"));
        }
        Invalid.throwIfAny(errors);
        TimeLog log = TimeLog.manual(participant, startedAt, endedAt);
        em.persist(log);
        em.flush();
        em.refresh(log);
        return log;
    }

    public SessionView get(UUID caller, UUID sessionId) {
        return view(visible(caller, sessionId, LockModeType.NONE));
    }

    public List<ParticipantView> participants(UUID caller, UUID sessionId) {
        FocusSession session = visible(caller, sessionId, LockModeType.NONE);
        Map<UUID, Long> seconds = focusedSeconds(session);
        return participants(session).stream()
                .map(p -> new ParticipantView(p, seconds.getOrDefault(p.id(), 0L)))
                .toList();
    }

    /** Logs the closed segment for every participant, from when they were there. */
    private void logSegment(FocusSession session, Instant segmentStart, Instant end) {
        if (segmentStart != null) {
            participants(session).stream()
                    .map(p -> p.clockLog(segmentStart, end))
                    .filter(Objects::nonNull)
                    .forEach(em::persist);
        }
        em.flush();
    }

    /** The session, locked, when the caller hosts it; 403 for others who can see it, 404 for the rest. */
    private FocusSession hosted(UUID caller, UUID sessionId) {
        FocusSession session = visible(caller, sessionId, LockModeType.PESSIMISTIC_WRITE);
        if (!session.isHostedBy(caller)) {
            throw new Forbidden("Only the session's host can start, pause, resume or stop it.");
        }
        return session;
    }

    /** The session when the caller takes part in it or is a member of its group; 404 otherwise. */
    private FocusSession visible(UUID caller, UUID sessionId, LockModeType lock) {
        FocusSession session = em.find(FocusSession.class, sessionId, lock);
        if (session == null) {
            throw new NotFound(SESSION_NOT_FOUND);
        }
        boolean sees = participant(session, caller).isPresent()
                || session.groupId() != null && Access.find(em, session.groupId(), caller).isPresent();
        if (!sees) {
            throw new NotFound(SESSION_NOT_FOUND);
        }
        return session;
    }

    private java.util.Optional<Participant> participant(FocusSession session, UUID userId) {
        return em.createQuery("select p from Participant p where p.sessionId = :sessionId and p.userId = :userId",
                        Participant.class)
                .setParameter("sessionId", session.id())
                .setParameter("userId", userId)
                .getResultStream().findFirst();
    }

    private List<Participant> participants(FocusSession session) {
        return em.createQuery("select p from Participant p join fetch p.profile where p.sessionId = :sessionId "
                        + "order by p.joinedAt, p.id", Participant.class)
                .setParameter("sessionId", session.id())
                .getResultList();
    }

    private SessionView view(FocusSession session) {
        Participant host = participant(session, session.creatorId()).orElseThrow();
        return new SessionView(session, focusedSeconds(session).getOrDefault(host.id(), 0L));
    }

    /** Each participant's logged seconds in the session plus, while it runs, the open segment's. */
    @SuppressWarnings("unchecked")
    private Map<UUID, Long> focusedSeconds(FocusSession session) {
        List<Object[]> rows = em.createNativeQuery("""
                select p.id,
                       floor(coalesce((select sum(extract(epoch from l.ended_at - l.started_at))
                                         from time_logs l where l.participant_id = p.id), 0)
                             + case when s.status = 'running'
                                    then greatest(0, extract(epoch from now() - greatest(s.segment_started_at, p.joined_at)))
                                    else 0 end)::bigint
                  from session_participants p join sessions s on s.id = p.session_id
                 where p.session_id = ?1
                """)
                .setParameter(1, session.id())
                .getResultList();
        return rows.stream().collect(Collectors.toMap(row -> (UUID) row[0], row -> ((Number) row[1]).longValue()));
    }

    /** The database's clock at the start of this transaction: what its rules about time compare against. */
    private Instant now() {
        return ((Timestamp) em.createNativeQuery("select now()").getSingleResult()).toInstant();
    }
}
