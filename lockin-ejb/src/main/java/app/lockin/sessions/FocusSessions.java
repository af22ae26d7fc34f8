package app.lockin.sessions;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;

import app.lockin.database.Labels;
import app.lockin.database.Row;
import app.lockin.database.Rows;
import app.lockin.groups.Access;
import app.lockin.rules.Forbidden;
import app.lockin.rules.NotFound;

/**
 * Focus sessions: creating them, their state machine, and the time logged in
 * them. A state change locks the session's row first, so two clients racing
 * on one session are served one after the other: one succeeds, the other
 * finds the new state (409). Times come from the database's clock, or from
 * the device ({@code at}) within {@link DeviceTime}'s bounds. The segments'
 * time logs are written by the database as the session changes state, which
 * is also where "one place at a time" is enforced: starting or resuming while
 * another session of the host runs is refused there, naming it.
 */
@Stateless
public class FocusSessions {

    private static final String SESSION_NOT_FOUND = "session not found";

    @PersistenceContext(unitName = "lockin")
    EntityManager em;

    @Inject
    TimelineSettings settings;

    /** A new scheduled session hosted by the caller; with a group, the caller must be a member of a started, unarchived group. */
    public SessionResponse create(UUID caller, UUID groupId) {
        Instant now = now();
        if (groupId != null) {
            Access.member(em, groupId, caller); // archived or not started yet: the database refuses (sessions_before_write)
        }
        FocusSession session = FocusSession.schedule(caller, groupId);
        em.persist(session);
        em.persist(Participant.host(session, now));
        em.flush();
        em.refresh(session);
        return SessionResponse.of(session, 0, 1);
    }

    /** Starts the session at the device's {@code at} (null: now). */
    public SessionResponse start(UUID caller, UUID sessionId, Instant at) {
        FocusSession session = hosted(caller, sessionId);
        session.start(when(at, session));
        return flushed(session, caller);
    }

    public SessionResponse pause(UUID caller, UUID sessionId, Instant at) {
        FocusSession session = hosted(caller, sessionId);
        session.pause(when(at, session));
        return flushed(session, caller);
    }

    public SessionResponse resume(UUID caller, UUID sessionId, Instant at) {
        FocusSession session = hosted(caller, sessionId);
        session.resume(when(at, session));
        return flushed(session, caller);
    }

    public SessionResponse stop(UUID caller, UUID sessionId, Instant at) {
        FocusSession session = hosted(caller, sessionId);
        session.stop(when(at, session));
        return flushed(session, caller);
    }

    /**
     * The caller, a member of the session's group, joins it (or joins again
     * after leaving): in a running session their part of the segment opens at
     * once. 409 when they are in it, when another session of theirs runs
     * (named), or when it is over; 404 for anyone who cannot see it. The
     * session's row is locked for share, so the host's changes wait for it.
     */
    public SessionResponse join(UUID caller, UUID sessionId) {
        FocusSession session = visible(caller, sessionId, LockModeType.PESSIMISTIC_READ);
        Optional<Participant> before = participant(session, caller);
        if (before.isPresent()) {
            before.get().rejoin(now());
        } else {
            em.persist(Participant.joining(session, caller, now()));
        }
        return flushed(session, caller);
    }

    /** The caller leaves the session: their open segment closes now; the host stops it instead (403). */
    public SessionResponse leave(UUID caller, UUID sessionId) {
        FocusSession session = visible(caller, sessionId, LockModeType.PESSIMISTIC_READ);
        Participant participant = participant(session, caller)
                .orElseThrow(() -> new Forbidden("Only the session's participants leave it."));
        session.requireNotOver("be left");
        participant.leave(now());
        return flushed(session, caller);
    }

    /** A time log the caller measured offline, for their own part in the session. */
    public TimeLogResponse log(UUID caller, UUID sessionId, Instant startedAt, Instant endedAt) {
        FocusSession session = visible(caller, sessionId, LockModeType.PESSIMISTIC_READ);
        Participant participant = participant(session, caller)
                .orElseThrow(() -> new Forbidden("Only the session's participants log time in it."));
        TimeLog log = TimeLog.manual(participant, startedAt, endedAt, now(), settings.offlineGrace());
        em.persist(log);
        em.flush();
        em.refresh(log);
        return TimeLogResponse.of(log, sessionId);
    }

    /** A time log of the session: what the Location of a new log points to; whoever sees the session sees its logs. */
    public TimeLogResponse timeLog(UUID caller, UUID sessionId, UUID logId) {
        visible(caller, sessionId, LockModeType.NONE);
        return em.createQuery("select l from TimeLog l where l.id = :id and l.participantId in "
                        + "(select p.id from Participant p where p.sessionId = :sessionId)", TimeLog.class)
                .setParameter("id", logId)
                .setParameter("sessionId", sessionId)
                .getResultStream()
                .findFirst()
                .map(log -> TimeLogResponse.of(log, sessionId))
                .orElseThrow(() -> new NotFound("time log not found"));
    }

    public SessionResponse get(UUID caller, UUID sessionId) {
        return view(visible(caller, sessionId, LockModeType.NONE), caller);
    }

    /** The session's participants the caller sees (user_shown: a member who hides is absent to others). */
    public List<ParticipantResponse> participants(UUID caller, UUID sessionId) {
        FocusSession session = visible(caller, sessionId, LockModeType.NONE);
        Map<UUID, Long> seconds = focusedSecondsShownTo(session, caller);
        return participants(session).stream()
                .filter(p -> seconds.containsKey(p.id()))
                .map(p -> ParticipantResponse.of(p, seconds.get(p.id())))
                .toList();
    }

    /** The position after which a page of sessions starts: the last item seen. */
    public record Cursor(Instant createdAt, UUID id) {
    }

    /**
     * Up to {@code limit + 1} sessions the caller hosts or takes part in, newest
     * first, after the cursor and of the status when given (one more than asked
     * tells that more remain): a second device finds the running session here.
     */
    public List<SessionResponse> mine(UUID caller, SessionStatus status, Optional<Cursor> after, int limit) {
        return page("s.id in (select session_id from session_participants where user_id = ?1)", caller, caller, status, after, limit);
    }

    /**
     * Up to {@code limit + 1} sessions of the group the caller sees (they are
     * in it or see its host: user_shown), newest first, after the cursor and
     * of the status when given; 404 unless the caller is a member.
     */
    public List<SessionResponse> ofGroup(UUID caller, UUID groupId, SessionStatus status, Optional<Cursor> after, int limit) {
        Access.member(em, groupId, caller);
        return page("s.group_id = ?1 and (" + TAKES_PART + " or user_shown(s.group_id, s.creator_id, ?6))",
                groupId, caller, status, after, limit);
    }

    /** A page of sessions: {@code which} selects them, with ?1 {@code whose} and ?6 the caller. */
    @SuppressWarnings("unchecked")
    private List<SessionResponse> page(String which, UUID whose, UUID caller, SessionStatus status, Optional<Cursor> after,
            int limit) {
        String sql = "select s.*, (" + HOST_SECONDS + ") as focused_seconds, (" + participantCount("?6") + ") as participant_count"
                + " from sessions s where " + which
                + (status != null ? " and s.status = cast(?2 as session_status)" : "")
                // the cursor's own row gives its exact created_at (answers show milliseconds, rows keep microseconds)
                + (after.isPresent() ? " and (s.created_at, s.id) < (coalesce((select c.created_at from sessions c where c.id = ?4), ?3), ?4)" : "")
                + " order by s.created_at desc, s.id desc limit ?5";
        var query = em.createNativeQuery(sql, FocusSession.WITH_FOCUSED_SECONDS)
                .setParameter(1, whose)
                .setParameter(5, limit + 1)
                .setParameter(6, caller);
        if (status != null) {
            query.setParameter(2, Labels.of(status));
        }
        after.ifPresent(cursor -> query
                .setParameter(3, Timestamp.from(cursor.createdAt()))
                .setParameter(4, cursor.id()));
        List<Object[]> rows = query.getResultList();
        return rows.stream().map(row -> SessionResponse.of((FocusSession) row[0], ((Number) row[1]).longValue(),
                ((Number) row[2]).longValue())).toList();
    }

    /** Who of those the viewer (parameter {@code viewer}) sees is in session s now: the host and the participants who have not left. */
    private static String participantCount(String viewer) {
        return "select count(*) from session_participants c where c.session_id = s.id and c.left_at is null"
                + " and user_shown(s.group_id, c.user_id, " + viewer + ")";
    }

    /** Whether the caller (?6) takes part in session s. */
    private static final String TAKES_PART =
            "exists (select 1 from session_participants me where me.session_id = s.id and me.user_id = ?6)";

    /** The host's seconds in session s: their logs, an open one counted up to now. */
    private static final String HOST_SECONDS = """
            select floor(coalesce(sum(extract(epoch from
                       coalesce(l.ended_at, greatest(now(), l.started_at)) - l.started_at)), 0))::bigint
              from session_participants h join time_logs l on l.participant_id = h.id
             where h.session_id = s.id and h.user_id = s.creator_id""";

    /**
     * The device's time of an action within the bounds, or the database's now.
     * The server's own time is never before the session's previous change: a
     * transaction that waited for the session's lock began before the change
     * it waited for.
     */
    private Instant when(Instant at, FocusSession session) {
        Instant now = now();
        Instant resolved = DeviceTime.resolve(at, now, settings.offlineGrace());
        boolean serverTime = at == null || at.isAfter(now);
        return serverTime && resolved.isBefore(session.transitionedAt()) ? session.transitionedAt() : resolved;
    }

    /** Writes the change (the database opens or closes the segment's logs) and reads the result as the caller sees it. */
    private SessionResponse flushed(FocusSession session, UUID caller) {
        em.flush();
        return view(session, caller);
    }

    /**
     * The session, locked, when the caller hosts it; 403 for others who can see it, 404 for the rest.
     * The host always sees their session: only someone else's call needs the visibility check.
     */
    private FocusSession hosted(UUID caller, UUID sessionId) {
        FocusSession session = em.find(FocusSession.class, sessionId, LockModeType.PESSIMISTIC_WRITE);
        if (session != null && session.isHostedBy(caller)) {
            return session;
        }
        visible(caller, sessionId, LockModeType.NONE);
        throw new Forbidden("Only the session's host can start, pause, resume or stop it.");
    }

    /**
     * The session when the caller may see it: a session of one's own to its
     * participants; a group's session to the group's current members (access
     * follows membership) who take part in it or see its host (user_shown).
     * 404 otherwise.
     */
    private FocusSession visible(UUID caller, UUID sessionId, LockModeType lock) {
        FocusSession session = em.find(FocusSession.class, sessionId, lock);
        if (session == null || !Rows.single(em.createNativeQuery("select case when s.group_id is null then " + TAKES_PART
                                + " else exists (select 1 from group_members v where v.group_id = s.group_id and v.user_id = ?6)"
                                + " and (" + TAKES_PART + " or user_shown(s.group_id, s.creator_id, ?6)) end as sees"
                                + " from sessions s where s.id = ?1")
                        .setParameter(1, sessionId)
                        .setParameter(6, caller))
                .bool("sees")) {
            throw new NotFound(SESSION_NOT_FOUND);
        }
        return session;
    }

    private Optional<Participant> participant(FocusSession session, UUID userId) {
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

    /**
     * The session as the database holds it now (its state is read back: the
     * runaway cap may have paused a pause or stop that came too late), with
     * its host's seconds and who is in it, as the caller sees them.
     */
    private SessionResponse view(FocusSession session, UUID caller) {
        Row row = Rows.single(em.createNativeQuery("select s.status::text as status, s.started_at, s.ended_at, (" + HOST_SECONDS
                        + ") as focused_seconds, (" + participantCount("?2") + ") as participant_count"
                        + " from sessions s where s.id = ?1")
                .setParameter(1, session.id())
                .setParameter(2, caller));
        return new SessionResponse(session.id(), session.groupId(), session.creatorId(),
                Labels.parse(SessionStatus.class, row.string("status")), row.instant("started_at"), row.instant("ended_at"),
                session.createdAt(), row.longValue("focused_seconds"), row.longValue("participant_count"));
    }

    /** The seconds in the session of each participant the caller sees: their logs, an open one counted up to now. */
    private Map<UUID, Long> focusedSecondsShownTo(FocusSession session, UUID caller) {
        List<Row> rows = Rows.list(em.createNativeQuery("""
                select p.id as participant_id,
                       floor(coalesce(sum(extract(epoch from
                           coalesce(l.ended_at, greatest(now(), l.started_at)) - l.started_at)), 0))::bigint as seconds
                  from session_participants p
                  join sessions s on s.id = p.session_id
                  left join time_logs l on l.participant_id = p.id
                 where p.session_id = ?1 and user_shown(s.group_id, p.user_id, ?2)
                 group by p.id
                """)
                .setParameter(1, session.id())
                .setParameter(2, caller));
        return rows.stream().collect(Collectors.toMap(row -> row.uuid("participant_id"), row -> row.longValue("seconds")));
    }

    /** The database's clock at the start of this transaction: what its rules about time compare against. */
    private Instant now() {
        return ((Timestamp) em.createNativeQuery("select now()").getSingleResult()).toInstant();
    }
}
