package app.lockin.sessions;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;


/** A time log of a person, as the API shows it. */
public record TimeLogResponse(UUID id, UUID sessionId, UUID userId, Instant startedAt, Instant endedAt,
        long durationSeconds, TimeLog.Source source) {

    public static TimeLogResponse of(TimeLogs.Entry log) {
        return new TimeLogResponse(log.id(), log.sessionId(), log.userId(), log.startedAt(), log.endedAt(),
                log.durationSeconds(), log.source());
    }

    static TimeLogResponse of(TimeLog log, UUID sessionId) {
        return new TimeLogResponse(log.id(), sessionId, log.userId(), log.startedAt(), log.endedAt(),
                Duration.between(log.startedAt(), log.endedAt()).toSeconds(), log.source());
    }
}
