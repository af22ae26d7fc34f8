package app.lockin.sessions;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import app.lockin.database.Labels;
import app.lockin.rules.Conflict;
import app.lockin.rules.FieldError;
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

    /** The longest manual log. */
    static final Duration LONGEST_MANUAL = Duration.ofHours(24);

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

    @Column(name = "ended_at")
    private Instant endedAt;

    @Column(nullable = false)
    private String source;

    @Column(name = "created_at", insertable = false, updatable = false)
    private Instant createdAt;

    protected TimeLog() {
    }

    /**
     * What an offline client measured, for its own part in the session: inside
     * the session's window, at most 24 hours, not in the future, and not ending
     * longer than the offline grace ago (those periods are final). {@code now}
     * is the database's clock.
     */
    public static TimeLog manual(Participant participant, FocusSession session, Instant from, Instant to,
            Instant now, Duration offlineGrace) {
        Instant startedAt = DeviceTime.stored(from);
        Instant endedAt = DeviceTime.stored(to);
        if (!session.hasStarted()) {
            throw new Conflict("The session is " + Labels.of(session.status()) + ": it has no time to log yet.");
        }
        List<FieldError> errors = new ArrayList<>();
        if (!endedAt.isAfter(startedAt)) {
            errors.add(new FieldError("ended_at", "must be after started_at"));
        } else if (Duration.between(startedAt, endedAt).compareTo(LONGEST_MANUAL) > 0) {
            errors.add(new FieldError("ended_at", "a log lasts at most 24 hours"));
        }
        if (endedAt.isAfter(now)) {
            errors.add(new FieldError("ended_at", "cannot be in the future"));
        } else if (endedAt.isBefore(now.minus(offlineGrace))) {
            errors.add(new FieldError("ended_at", "is older than the offline grace of "
                    + DeviceTime.describe(offlineGrace) + ": periods that old are final"));
        }
        if (startedAt.isBefore(session.startedAt())) {
            errors.add(new FieldError("started_at", "cannot be before the session started (" + session.startedAt() + ")"));
        }
        if (session.endedAt() != null && endedAt.isAfter(session.endedAt())) {
            errors.add(new FieldError("ended_at", "cannot be after the session ended (" + session.endedAt() + ")"));
        }
        Invalid.throwIfAny(errors);
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
}
