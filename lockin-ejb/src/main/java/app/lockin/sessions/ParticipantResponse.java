package app.lockin.sessions;

import java.time.Instant;
import java.util.UUID;


/** A participant of a session with their focused seconds (logged, plus the open segment while running). */
public record ParticipantResponse(UUID userId, String displayName, Participant.Role role, Instant joinedAt, long focusedSeconds) {

    static ParticipantResponse of(Participant p, long focusedSeconds) {
        return new ParticipantResponse(p.userId(), p.profile().displayName(), p.role(), p.joinedAt(), focusedSeconds);
    }
}
