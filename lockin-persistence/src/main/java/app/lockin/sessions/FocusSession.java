package app.lockin.sessions;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import app.lockin.database.Labels;
import app.lockin.rules.Conflict;

/**
 * A focus session and its state machine. Only the host (its creator)
 * changes it; a change that does not fit the current status is a 409 that
 * names the status. Closing a running segment (pause, stop) is the caller's
 * cue to log it for every participant.
 */
@Entity
@Table(name = "sessions")
public class FocusSession {

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

    public void start(Instant now) {
        require(SessionStatus.SCHEDULED, "start");
        startedAt = now;
        segmentStartedAt = now;
        status = Labels.of(SessionStatus.RUNNING);
    }

    /** Pauses; returns where the closed segment began, to log it. */
    public Instant pause(Instant now) {
        require(SessionStatus.RUNNING, "pause");
        Instant segment = segmentStartedAt;
        segmentStartedAt = null;
        status = Labels.of(SessionStatus.PAUSED);
        return segment;
    }

    public void resume(Instant now) {
        require(SessionStatus.PAUSED, "resume");
        segmentStartedAt = now;
        status = Labels.of(SessionStatus.RUNNING);
    }

    /** Stops: a running or paused session ends, a scheduled one is cancelled. Returns the open segment's start, if any. */
    public Instant stop(Instant now) {
        SessionStatus current = status();
        Instant segment = segmentStartedAt;
        switch (current) {
            case RUNNING, PAUSED -> status = Labels.of(SessionStatus.ENDED);
            case SCHEDULED -> status = Labels.of(SessionStatus.CANCELLED);
            default -> throw conflict("stop");
        }
        segmentStartedAt = null;
        endedAt = now;
        return segment;
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

    public Instant createdAt() {
        return createdAt;
    }
}
