package app.lockin.sessions;

import java.time.Instant;
import java.util.UUID;


/**
 * A participant of a session with their focused seconds (logged, plus the open
 * segment while running); left_at when they left (null: in it; joined_at is
 * their latest joining).
 */
public record ParticipantResponse(UUID userId, String displayName, Participant.Role role, Instant joinedAt, Instant leftAt,
        long focusedSeconds) {

    static ParticipantResponse of(Participant p, long focusedSeconds) {
        return new ParticipantResponse(p.userId(), p.profile().displayName(), p.role(), p.joinedAt(), p.leftAt(),
                focusedSeconds);
    }
}
