package app.lockin.sessions;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import app.lockin.database.Labels;
import app.lockin.profiles.Profile;
import app.lockin.rules.Conflict;
import app.lockin.rules.Forbidden;

/** Someone taking part in a session: its host, or a participant. */
@Entity
@Table(name = "session_participants")
public class Participant {

    public enum Role {
        HOST, PARTICIPANT
    }

    @Id
    private UUID id;

    @Column(name = "session_id", nullable = false)
    private UUID sessionId;

    @Column(name = "user_id", nullable = false)
    private UUID userId;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "user_id", insertable = false, updatable = false)
    private Profile profile;

    @Column(nullable = false)
    private String role;

    @Column(name = "joined_at", nullable = false)
    private Instant joinedAt;

    /** When they left (null: in the session). */
    @Column(name = "left_at")
    private Instant leftAt;

    protected Participant() {
    }

    public static Participant host(FocusSession session, Instant now) {
        Participant host = new Participant();
        host.id = UUID.randomUUID();
        host.sessionId = session.id();
        host.userId = session.creatorId();
        host.role = Labels.of(Role.HOST);
        host.joinedAt = now;
        return host;
    }

    /**
     * A member of the session's group joining it at {@code now}. The database
     * refuses a session that is over and anyone running another session
     * (session_participants_before_join), and opens their part of a running
     * segment.
     */
    public static Participant joining(FocusSession session, UUID userId, Instant now) {
        Participant participant = new Participant();
        participant.id = UUID.randomUUID();
        participant.sessionId = session.id();
        participant.userId = userId;
        participant.role = Labels.of(Role.PARTICIPANT);
        participant.joinedAt = now;
        return participant;
    }

    /** Someone who left joining again at {@code now} (same rules as {@link #joining}). */
    public void rejoin(Instant now) {
        if (leftAt == null) {
            throw new Conflict("You are in this session already.");
        }
        leftAt = null;
        joinedAt = now;
    }

    /** Leaving at {@code now}: the database closes their open segment there; the host stops the session instead. */
    public void leave(Instant now) {
        if (role() == Role.HOST) {
            throw new Forbidden("The host does not leave a session: they stop it.");
        }
        if (leftAt != null) {
            throw new Conflict("You have left this session already.");
        }
        leftAt = now;
    }

    public UUID id() {
        return id;
    }

    public UUID sessionId() {
        return sessionId;
    }

    public UUID userId() {
        return userId;
    }

    public Profile profile() {
        return profile;
    }

    public Role role() {
        return Labels.parse(Role.class, role);
    }

    public Instant joinedAt() {
        return joinedAt;
    }

    public Instant leftAt() {
        return leftAt;
    }
}
