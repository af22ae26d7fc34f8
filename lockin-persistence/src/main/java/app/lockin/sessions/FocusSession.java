package app.lockin.sessions;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.ColumnResult;
import jakarta.persistence.EntityResult;
import jakarta.persistence.SqlResultSetMapping;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import app.lockin.database.Labels;
import app.lockin.rules.Conflict;
import app.lockin.rules.Invalid;

/**
 * A focus session and its state machine. Only the host (its creator)
 * changes it; a change that does not fit the current status is a 409 that
 * names the status. Each change happens at an instant (the server's now, or
 * the device's time within {@link DeviceTime}'s bounds) that may not be
 * before the previous change. The time logs of the segments are the
 * database's part: triggers open one per participant when the session runs
 * and close them when it stops running.
 */
@Entity
@Table(name = "sessions")
@SqlResultSetMapping(name = FocusSession.WITH_FOCUSED_SECONDS,
        entities = @EntityResult(entityClass = FocusSession.class),
        columns = {@ColumnResult(name = "focused_seconds", type = Long.class),
                   @ColumnResult(name = "participant_count", type = Long.class)})
public class FocusSession {

    /** A native query's rows: the session, its host's focused seconds (column focused_seconds) and how many are in it (participant_count). */
    public static final String WITH_FOCUSED_SECONDS = "FocusSession.withFocusedSeconds";

    @Id
    private UUID id;

    /** Nullable: kept as text, since EclipseLink's UUID conversion fails on null (see Labels). */
    @Column(name = "group_id")
    private String groupId;

    @Column(name = "creator_id", nullable = false)
    private UUID creatorId;

    @Column(nullable = false)
    private String status;

    @Column(name = "started_at")
    private Instant startedAt;

    @Column(name = "ended_at")
    private Instant endedAt;

    @Column(name = "segment_started_at")
    private Instant segmentStartedAt;

    /** When it last changed state; the database sets it on insert. */
    @Column(name = "transitioned_at", insertable = false)
    private Instant transitionedAt;

    @Column(name = "created_at", insertable = false, updatable = false)
    private Instant createdAt;

    protected FocusSession() {
    }

    public static FocusSession schedule(UUID hostId, UUID groupId) {
        FocusSession session = new FocusSession();
        session.id = UUID.randomUUID();
        session.creatorId = hostId;
        session.groupId = Labels.of(groupId);
        session.status = Labels.of(SessionStatus.SCHEDULED);
        return session;
    }

    public boolean isHostedBy(UUID profileId) {
        return creatorId.equals(profileId);
    }

    /** Starts at {@code at}: the first segment opens (the database opens its time log for every participant). */
    public void start(Instant at) {
        require(SessionStatus.SCHEDULED, "start");
        startedAt = at;
        segmentStartedAt = at;
        changeAt(at, SessionStatus.RUNNING);
    }

    /** Pauses at {@code at}: the open segment closes there (the database closes its time logs). */
    public void pause(Instant at) {
        require(SessionStatus.RUNNING, "pause");
        notBeforePreviousChange(at);
        segmentStartedAt = null;
        changeAt(at, SessionStatus.PAUSED);
    }

    /** Resumes at {@code at}: a new segment opens. */
    public void resume(Instant at) {
        require(SessionStatus.PAUSED, "resume");
        notBeforePreviousChange(at);
        segmentStartedAt = at;
        changeAt(at, SessionStatus.RUNNING);
    }

    /** Stops at {@code at}: a running or paused session ends (an open segment closes there), a scheduled one is cancelled. */
    public void stop(Instant at) {
        SessionStatus next = switch (status()) {
            case RUNNING, PAUSED -> SessionStatus.ENDED;
            case SCHEDULED -> SessionStatus.CANCELLED;
            default -> throw conflict("stop");
        };
        if (next == SessionStatus.ENDED) {
            notBeforePreviousChange(at);
        }
        segmentStartedAt = null;
        endedAt = at;
        changeAt(at, next);
    }

    private void changeAt(Instant at, SessionStatus next) {
        transitionedAt = at;
        status = Labels.of(next);
    }

    /** A device time may not reorder what already happened. */
    private void notBeforePreviousChange(Instant at) {
        if (at.isBefore(transitionedAt)) {
            throw new Invalid("at", "cannot be before the session's previous change (" + transitionedAt + ")");
        }
    }

    /** Someone may leave it while it is not over. */
    public void requireNotOver(String action) {
        if (status() == SessionStatus.ENDED || status() == SessionStatus.CANCELLED) {
            throw conflict(action);
        }
    }

    /** A session has time to log once started (not while scheduled, nor when cancelled). */
    public boolean hasStarted() {
        return startedAt != null;
    }

    private void require(SessionStatus expected, String action) {
        if (status() != expected) {
            throw conflict(action);
        }
    }

    private Conflict conflict(String action) {
        return new Conflict("The session is " + status + ": it cannot " + action + ".");
    }

    public UUID id() {
        return id;
    }

    public UUID groupId() {
        return Labels.uuid(groupId);
    }

    public UUID creatorId() {
        return creatorId;
    }

    public SessionStatus status() {
        return Labels.parse(SessionStatus.class, status);
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant endedAt() {
        return endedAt;
    }

    public Instant segmentStartedAt() {
        return segmentStartedAt;
    }

    public Instant transitionedAt() {
        return transitionedAt;
    }

    public boolean isRunning() {
        return status() == SessionStatus.RUNNING;
    }

    public Instant createdAt() {
        return createdAt;
    }
}
