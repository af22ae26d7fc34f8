package app.lockin.sessions;

/** A participant with their focused seconds in the session (logged, plus the open segment while running). */
public record ParticipantView(Participant participant, long focusedSeconds) {
}
