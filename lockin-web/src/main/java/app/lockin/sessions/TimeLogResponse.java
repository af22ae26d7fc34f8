package app.lockin.sessions;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import app.lockin.rest.Wire;

public record TimeLogResponse(UUID id, UUID sessionId, UUID userId, Instant startedAt, Instant endedAt,
        long durationSeconds, String source) {

    static TimeLogResponse of(TimeLog log, UUID sessionId) {
        return new TimeLogResponse(log.id(), sessionId, log.userId(), log.startedAt(), log.endedAt(),
                Duration.between(log.startedAt(), log.endedAt()).toSeconds(), Wire.name(log.source()));
    }
}
