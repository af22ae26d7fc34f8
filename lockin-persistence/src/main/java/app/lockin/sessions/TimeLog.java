package app.lockin.sessions;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import app.lockin.database.Labels;
import app.lockin.rules.Invalid;

/**
 * Focused time of one person in one session. Clock logs are the database's
 * (opened and closed with the session's segments; an open one has no end
 * yet); manual ones are what an offline client measured. The database keeps
 * every log in its session's window, out of archived groups and the future,
 * and free of overlap with any other time of the same person, the running
 * segment included.
 */
@Entity
@Table(name = "time_logs")
public class TimeLog {

    public enum Source {
        CLOCK, DEVICE, MANUAL
    }

    @Id
    private UUID id;

    @Column(name = "participant_id", nullable = false)
    private UUID participantId;

    @Column(name = "user_id", nullable = false)
    private UUID userId;

    @Column(name = "started_at", nullable = false)
    private Instant startedAt;

    @Column(name = "ended_at")
    private Instant endedAt;

    @Column(nullable = false)
    private String source;

    @Column(name = "created_at", insertable = false, updatable = false)
    private Instant createdAt;

    /** Voided by the group's owner or an admin (database function void_time_log): then it counts nowhere in the group. */
    @Column(name = "voided_at", insertable = false, updatable = false)
    private Instant voidedAt;

    @Column(name = "voided_by", insertable = false, updatable = false)
    private String voidedBy;

    @Column(name = "void_reason", insertable = false, updatable = false)
    private String voidReason;

    protected TimeLog() {
    }

    /**
     * What an offline client measured, for its own part in the session, not
     * ending longer than the offline grace ago (those periods are final; the
     * grace is configuration, so this rule is the entity's). The window rules
     * (after started_at, at most 24 hours, not in the future, inside the
     * session) are the database's: time_logs constraints and
     * time_logs_before_write. {@code now} is the database's clock.
     */
    public static TimeLog manual(Participant participant, Instant from, Instant to, Instant now, Duration offlineGrace) {
        Instant startedAt = DeviceTime.stored(from);
        Instant endedAt = DeviceTime.stored(to);
        if (endedAt.isBefore(now.minus(offlineGrace))) {
            throw new Invalid("ended_at", "is older than the offline grace of "
                    + DeviceTime.describe(offlineGrace) + ": periods that old are final");
        }
        TimeLog log = new TimeLog();
        log.id = UUID.randomUUID();
        log.participantId = participant.id();
        log.userId = participant.userId();
        log.startedAt = startedAt;
        log.endedAt = endedAt;
        log.source = Labels.of(Source.MANUAL);
        return log;
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

    /** Null while the segment it records is still open. */
    public Instant endedAt() {
        return endedAt;
    }

    public Source source() {
        return Labels.parse(Source.class, source);
    }

    public Instant createdAt() {
        return createdAt;
    }

    /** When it was voided (null: it counts for the group). */
    public Instant voidedAt() {
        return voidedAt;
    }

    public UUID voidedBy() {
        return Labels.uuid(voidedBy);
    }

    public String voidReason() {
        return voidReason;
    }
}
