package app.lockin.sessions;

/** A session with the host's focused seconds (logged, plus the open segment while running). */
public record SessionView(FocusSession session, long focusedSeconds) {
}
