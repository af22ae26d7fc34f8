package app.lockin.groups;

/**
 * Whether a group counts declared time (logs a device dated back, and manual
 * logs) on its boards, history, goals, milestones and streaks. A change
 * applies from the current period on (the database keeps the history:
 * declared_time_history, declared_counts).
 */
public enum DeclaredTime {
    COUNTED, NOT_COUNTED
}
