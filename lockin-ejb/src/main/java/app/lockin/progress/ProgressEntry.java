package app.lockin.progress;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import app.lockin.database.Row;

/**
 * A member's place on a group's leaderboard in one period: their seconds, goal,
 * rank, whether they are focusing, and their streak of periods with the goal
 * met (ending with this one when it is met) and the longest they had.
 * {@code hidden}: the member hides from the leaderboard. A viewer the database
 * says does not see the member (member_shown) gets the entry without
 * {@code user_id}, {@code display_name} and {@code avatar_url} ({@link #masked}).
 */
public record ProgressEntry(UUID userId, String displayName, String avatarUrl, long secondsDone, int targetMinutes,
        boolean goalMet, Instant periodStart, Instant periodEnd, long rank, boolean isFocusing, int streak,
        int bestStreak, boolean hidden) {

    /**
     * The columns {@link #of} reads: a row of group_member_period_progress
     * (aliased {@code b}) and its member's flag ({@code m}, see
     * {@link #JOIN_MEMBERS}).
     */
    static final String COLUMNS = "b.user_id, b.display_name, b.avatar_url, b.seconds_done, b.target_minutes, b.goal_met, "
            + "b.period_start, b.period_end, b.rank, b.is_focusing, b.streak, b.best_streak, m.hidden_from_leaderboard";

    /**
     * A board's rows with their memberships (who hides): one key lookup per
     * row. A plain join was planned as a hash join over the whole of
     * group_members (the planner cannot see that a board function returns a
     * group's few members): it cost more than the board itself and grows with
     * every group (BENCHMARKS.md, "Progress with streaks").
     */
    static final String JOIN_MEMBERS = " b cross join lateral (select gm.hidden_from_leaderboard from group_members gm"
            + " where gm.group_id = b.group_id and gm.user_id = b.user_id limit 1) m";

    /**
     * The same for one viewer (parameter ?2), with whether they see each
     * member ({@code shown}: the database's rule, member_shown); the group is
     * parameter ?1, so the viewer's membership is looked up once.
     */
    static final String JOIN_MEMBERS_SEEN_BY_VIEWER = " b left join group_members v on v.group_id = ?1 and v.user_id = ?2"
            + " cross join lateral (select gm.hidden_from_leaderboard, member_shown(gm, v) as shown from group_members gm"
            + " where gm.group_id = b.group_id and gm.user_id = b.user_id limit 1) m";

    /** The board's rows as one viewer sees them (see {@link #JOIN_MEMBERS_SEEN_BY_VIEWER}). */
    static List<ProgressEntry> seenByViewer(List<Row> rows) {
        List<ProgressEntry> entries = new ArrayList<>(rows.size());
        for (Row r : rows) {
            ProgressEntry entry = of(r);
            entries.add(r.bool("shown") ? entry : entry.masked());
        }
        return entries;
    }

    static ProgressEntry of(Row r) {
        return new ProgressEntry(r.uuid("user_id"), r.string("display_name"), r.string("avatar_url"),
                r.longValue("seconds_done"), r.intValue("target_minutes"), r.bool("goal_met"),
                r.instant("period_start"), r.instant("period_end"), r.longValue("rank"),
                r.bool("is_focusing"), r.intValue("streak"), r.intValue("best_streak"), r.bool("hidden_from_leaderboard"));
    }

    /** The entry without who it is. */
    ProgressEntry masked() {
        return new ProgressEntry(null, null, null, secondsDone, targetMinutes, goalMet, periodStart, periodEnd, rank,
                isFocusing, streak, bestStreak, true);
    }
}
