package app.lockin.sessions;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;


/**
 * A time log of a person, as the API shows it; {@code voidedAt},
 * {@code voidedBy}, {@code voidReason} are null unless the group's owner or
 * an admin voided it (then it counts nowhere in the group).
 */
public record TimeLogResponse(UUID id, UUID sessionId, UUID userId, Instant startedAt, Instant endedAt,
        long durationSeconds, TimeLog.Source source, Instant voidedAt, UUID voidedBy, String voidReason) {

    public static TimeLogResponse of(TimeLogs.Entry log) {
        return new TimeLogResponse(log.id(), log.sessionId(), log.userId(), log.startedAt(), log.endedAt(),
                log.durationSeconds(), log.source(), log.voidedAt(), log.voidedBy(), log.voidReason());
    }

    static TimeLogResponse of(TimeLog log, UUID sessionId) {
        return new TimeLogResponse(log.id(), sessionId, log.userId(), log.startedAt(), log.endedAt(),
                Duration.between(log.startedAt(), log.endedAt()).toSeconds(), log.source(),
                log.voidedAt(), log.voidedBy(), log.voidReason());
    }
}
