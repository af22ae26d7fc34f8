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

    /**
     * The period's start alone (equal periods have equal starts). JSON-B
     * (Yasson) puts every object it writes in a HashSet while writing it, to
     * find cycles: a hash over the entries made a page hash its 400 entries
     * again for the page, for each period and for each entry, twice.
     */
    @Override
    public int hashCode() {
        return periodStart.hashCode();
    }

    /**
     * A member's seconds (of them, the declared ones) and goal in the period,
     * highest first; {@code hidden}: they hide from the leaderboard (other
     * plain members do not get their entry); {@code formerMember}: no longer
     * a member (an erased person's entry has no user_id).
     */
    public record Entry(UUID userId, long secondsDone, long secondsDeclared, boolean goalMet, boolean hidden,
            boolean formerMember) {
    }
}
