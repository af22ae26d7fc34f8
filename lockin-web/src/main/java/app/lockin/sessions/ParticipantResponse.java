package app.lockin.sessions;

import java.time.Instant;
import java.util.UUID;


public record ParticipantResponse(UUID userId, String displayName, Participant.Role role, Instant joinedAt, long focusedSeconds) {

    static ParticipantResponse of(ParticipantView view) {
        Participant p = view.participant();
        return new ParticipantResponse(p.userId(), p.profile().displayName(), p.role(), p.joinedAt(),
                view.focusedSeconds());
    }
}
