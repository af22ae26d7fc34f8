package app.lockin.sessions;

/** scheduled → running ⇄ paused → ended; scheduled → cancelled. */
public enum SessionStatus {
    SCHEDULED, RUNNING, PAUSED, ENDED, CANCELLED
}
