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
}
