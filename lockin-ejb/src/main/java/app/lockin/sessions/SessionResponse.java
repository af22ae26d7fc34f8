package app.lockin.sessions;

import java.time.Instant;
import java.util.UUID;


/**
 * A focus session, read in the transaction that found or changed it;
 * focused_seconds is the host's total, growing while it runs;
 * participant_count counts who is in it now (the host included, not those who
 * left) of those the caller sees (user_shown).
 */
public record SessionResponse(UUID id, UUID groupId, UUID creatorId, SessionStatus status, Instant startedAt, Instant endedAt,
        Instant createdAt, long focusedSeconds, long participantCount) {

    static SessionResponse of(FocusSession s, long focusedSeconds, long participantCount) {
        return new SessionResponse(s.id(), s.groupId(), s.creatorId(), s.status(), s.startedAt(), s.endedAt(),
                s.createdAt(), focusedSeconds, participantCount);
    }
}
