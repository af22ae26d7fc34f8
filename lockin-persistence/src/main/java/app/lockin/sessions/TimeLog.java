package app.lockin.sessions;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import app.lockin.database.Labels;

/**
 * Focused time of one person in one session. The database checks that it
 * lies in the session's window, not in the future, and that it overlaps no
 * other log of the same person.
 */
@Entity
@Table(name = "time_logs")
public class TimeLog {

    public enum Source {
        CLOCK, MANUAL
    }

    @Id
    private UUID id;

    @Column(name = "participant_id", nullable = false)
    private UUID participantId;

    @Column(name = "user_id", nullable = false)
    private UUID userId;

    @Column(name = "started_at", nullable = false)
    private Instant startedAt;

    @Column(name = "ended_at", nullable = false)
    private Instant endedAt;

    @Column(nullable = false)
    private String source;

    @Column(name = "created_at", insertable = false, updatable = false)
    private Instant createdAt;

    protected TimeLog() {
    }

    static TimeLog of(Participant participant, Instant startedAt, Instant endedAt, Source source) {
        TimeLog log = new TimeLog();
        log.id = UUID.randomUUID();
        log.participantId = participant.id();
        log.userId = participant.userId();
        log.startedAt = startedAt;
        log.endedAt = endedAt;
        log.source = Labels.of(source);
        return log;
    }

    /** What an offline client measured; its rules are checked by {@code FocusSessions} and the database. */
    public static TimeLog manual(Participant participant, Instant startedAt, Instant endedAt) {
        return of(participant, startedAt, endedAt, Source.MANUAL);
    }

    public UUID id() {
        return id;
    }

    public UUID participantId() {
        return participantId;
    }

    public UUID userId() {
        return userId;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant endedAt() {
        return endedAt;
    }

    public Source source() {
        return Labels.parse(Source.class, source);
    }

    public Instant createdAt() {
        return createdAt;
    }
}
