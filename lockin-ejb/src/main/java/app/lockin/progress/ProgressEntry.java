package app.lockin.progress;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

/**
 * A member's place on a group's leaderboard in one period: their seconds, goal,
 * rank, whether they are focusing, and their streak of periods with the goal
 * met (ending with this one when it is met) and the longest they had.
 * {@code hidden}: the member hides from the leaderboard; other plain members
 * then see the entry without {@code user_id}, {@code display_name} and
 * {@code avatar_url} ({@link #masked}).
 */
public record ProgressEntry(UUID userId, String displayName, String avatarUrl, long secondsDone, int targetMinutes,
        boolean goalMet, Instant periodStart, Instant periodEnd, long rank, boolean isFocusing, int streak,
        int bestStreak, boolean hidden) {

    /**
     * The columns {@link #of} reads, in its order: a row of
     * group_member_period_progress (aliased {@code b}) and its member's row
     * of group_members ({@code m}).
     */
    static final String COLUMNS = "b.user_id, b.display_name, b.avatar_url, b.seconds_done, b.target_minutes, b.goal_met, "
            + "b.period_start, b.period_end, b.rank, b.is_focusing, b.streak, b.best_streak, m.hidden_from_leaderboard, "
            + "m.role in ('owner', 'admin')";

    /**
     * A board's rows with their memberships (who hides, who manages the group):
     * one key lookup per row. A plain join was planned as a hash join over the
     * whole of group_members (the planner cannot see that a board function
     * returns a group's few members): it cost more than the board itself and
     * grows with every group (BENCHMARKS.md, "Progress with streaks").
     */
    static final String JOIN_MEMBERS = " b cross join lateral (select gm.hidden_from_leaderboard, gm.role from group_members gm"
            + " where gm.group_id = b.group_id and gm.user_id = b.user_id limit 1) m";

    static ProgressEntry of(Object[] r) {
        return new ProgressEntry((UUID) r[0], (String) r[1], (String) r[2],
                ((Number) r[3]).longValue(), ((Number) r[4]).intValue(), (Boolean) r[5],
                ((Timestamp) r[6]).toInstant(), ((Timestamp) r[7]).toInstant(), ((Number) r[8]).longValue(),
                (Boolean) r[9], ((Number) r[10]).intValue(), ((Number) r[11]).intValue(), (Boolean) r[12]);
    }

    /** The entry without who it is. */
    ProgressEntry masked() {
        return new ProgressEntry(null, null, null, secondsDone, targetMinutes, goalMet, periodStart, periodEnd, rank,
                isFocusing, streak, bestStreak, true);
    }
}
