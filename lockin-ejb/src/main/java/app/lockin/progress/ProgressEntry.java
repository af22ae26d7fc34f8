package app.lockin.progress;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import app.lockin.database.Row;

/**
 * A member's place on a group's leaderboard in one period: their seconds (and
 * of them, the declared ones: time the device dated back or typed in), goal,
 * rank, whether they are focusing, and their streak of periods with the goal
 * met (ending with this one when it is met) and the longest they had.
 * {@code hidden}: the member hides from the leaderboard (only those who see
 * them get their entry: board_seen_by, member_shown). {@code formerMember}:
 * no longer a member (on the boards of periods that ended: history is true);
 * an erased person is one without id, name or avatar (the anonymous profile
 * their history was given to is the only kind of profile without a name).
 */
public record ProgressEntry(UUID userId, String displayName, String avatarUrl, long secondsDone,
        long secondsDeclared, int targetMinutes, boolean goalMet, Instant periodStart, Instant periodEnd, long rank,
        boolean isFocusing, int streak, int bestStreak, boolean hidden, boolean formerMember) {

    /** A board as one member sees it, in board order: the rows of board_seen_by (a board_entry each). */
    static final String SEEN_IN_ORDER = " b order by b.rank, b.display_name, b.user_id";

    /**
     * A board in full for all its viewers (the live streams): the rows of
     * group_leaderboard (aliased {@code b}) with each member's flag, by one
     * key lookup per row. A plain join was planned as a hash join over the
     * whole of group_members (the planner cannot see that a board function
     * returns a group's few members): it cost more than the board itself.
     */
    static final String IN_FULL = "select b.user_id, b.display_name, b.avatar_url, b.seconds_done, b.seconds_declared,"
            + " b.target_minutes, b.goal_met, b.period_start, b.period_end, b.rank, b.is_focusing, b.streak,"
            + " b.best_streak, m.hidden_from_leaderboard, false as former_member from group_leaderboard(?1) b"
            + " cross join lateral (select gm.hidden_from_leaderboard"
            + " from group_members gm where gm.group_id = b.group_id and gm.user_id = b.user_id limit 1) m"
            + " order by b.rank, b.display_name, b.user_id";

    static ProgressEntry of(Row r) {
        boolean erased = r.string("display_name") == null;
        return new ProgressEntry(erased ? null : r.uuid("user_id"), r.string("display_name"), r.string("avatar_url"),
                r.longValue("seconds_done"), r.longValue("seconds_declared"), r.intValue("target_minutes"),
                r.bool("goal_met"), r.instant("period_start"), r.instant("period_end"), r.longValue("rank"),
                r.bool("is_focusing"), r.intValue("streak"), r.intValue("best_streak"), r.bool("hidden_from_leaderboard"),
                erased || r.bool("former_member"));
    }

    static List<ProgressEntry> of(List<Row> rows) {
        return rows.stream().map(ProgressEntry::of).toList();
    }
}
