package app.lockin.progress;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.json.bind.annotation.JsonbProperty;

/**
 * One period of a group's history: its bounds, the group's target then, how
 * many of the members (those who had joined by its end) met their goal, and
 * whether it is final (the offline grace after its end has passed: it can no
 * longer change).
 */
public record HistoryPeriod(Instant periodStart, Instant periodEnd, int targetMinutes, int memberCount,
        int membersMet, boolean groupGoalMet, @JsonbProperty("final") boolean isFinal, List<Entry> entries) {

    /** A member's seconds and goal in the period, highest first. */
    public record Entry(UUID userId, long secondsDone, boolean goalMet) {
    }
}
