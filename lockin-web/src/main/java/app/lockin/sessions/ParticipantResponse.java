package app.lockin.sessions;

import java.time.Instant;
import java.util.UUID;

import app.lockin.rest.Wire;

public record ParticipantResponse(UUID userId, String displayName, String role, Instant joinedAt, long focusedSeconds) {

    static ParticipantResponse of(ParticipantView view) {
        Participant p = view.participant();
        return new ParticipantResponse(p.userId(), p.profile().displayName(), Wire.name(p.role()), p.joinedAt(),
                view.focusedSeconds());
    }
}
